// Command lowlat-rehearse rolls a rendered lowlat tree out on a cluster
// twin with ArgoCD's own sync engine; `lowlat rehearse` runs it. It is a
// binary of its own so that lowlat and lowlat-fn do not link the engine.
package main

import (
	"os"

	"github.com/lowlat/lowlat/generator/rehearse/command"
)

func main() { os.Exit(command.Main(os.Args[1:], os.Stdout, os.Stderr)) }

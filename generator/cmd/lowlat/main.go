// Command lowlat renders low-latency OpenShift GitOps trees from an inventory.
package main

import (
	"os"

	"github.com/lowlat/lowlat/generator/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

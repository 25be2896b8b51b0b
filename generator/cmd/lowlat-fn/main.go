// Command lowlat-fn is lowlat's KRM function on its own: kustomize execs it
// on every build, so it links only the inventory and rendering code and
// starts several times faster than the full lowlat binary (`lowlat fn` is
// the same function).
package main

import (
	"os"

	"github.com/lowlat/lowlat/generator/krm"
)

func main() { os.Exit(krm.Main()) }

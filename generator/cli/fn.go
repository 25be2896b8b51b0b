package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lowlat/lowlat/generator/krm"
)

func newFnCommand() *cobra.Command {
	cmd := krm.NewCommand()
	cmd.Use = "fn [INVENTORY [RESOURCES...]]"
	cmd.Short = "Run as a KRM function: emit a cluster's overlay from the inventory in a ResourceList"
	cmd.Long = `Fn is lowlat as a kustomize KRM function. kustomize runs it with a
ResourceList on stdin whose functionConfig is the Inventory, annotated
lowlat.dev/cluster: <cluster> when the inventory has several clusters, and
reads the objects of overlays/aws/<cluster> back from stdout: the same objects
kustomize build gives from the rendered tree. Relative topology captures are
read from the current directory (kustomize runs exec functions in the
kustomization's directory).

Problems are written as error Results in the ResourceList and to stderr,
each with the inventory's file, line and field path (under kustomize, the
file is the kustomization's generator that holds the inventory), and the
command exits non-zero.

lowlat render writes krm/<cluster>/, a kustomization that runs this function
on a copy of the inventory; it needs the exec function flags of kustomize.`
	cmd.Example = `  # Preview a cluster with kustomize (after make build)
  go tool kustomize build --enable-alpha-plugins --enable-exec krm/lab1

  # Standalone: objects of the inventory's only cluster, without kustomize
  lowlat fn krm/lab1/inventory.yaml`
	run := cmd.RunE
	cmd.RunE = func(c *cobra.Command, args []string) error {
		if err := run(c, args); err != nil {
			// The function printed the problems already.
			return &ExitError{Code: 1, Err: fmt.Errorf("%w: %w", errSilent, err)}
		}
		return nil
	}
	return cmd
}

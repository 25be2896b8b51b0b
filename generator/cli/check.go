package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lowlat/lowlat/generator/render"
	"github.com/lowlat/lowlat/generator/tree"
)

type checkOptions struct {
	inventory string
	dir       string
}

func newCheckCommand() *cobra.Command {
	o := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check -f INVENTORY [-d DIR]",
		Short: "Fail when the committed tree is not what the inventory renders",
		Long: `Check renders the inventory in memory and compares it with the generated
files under base/, overlays/ and apps/ of DIR. Any added, removed or changed
file is printed with a line diff (-committed +rendered) and the command exits
non-zero, so CI catches a tree edited by hand or an inventory change that was
not rendered.`,
		Example: `  # What make check runs
  lowlat check -f fixtures/inventories/workshop.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rendered, err := renderInventory(o.inventory)
			if err != nil {
				return err
			}
			committed, err := tree.Read(o.dir, render.Roots)
			if err != nil {
				return err
			}
			changes := tree.Compare(committed, rendered)
			if len(changes) == 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "%d files match the inventory\n", rendered.Len())
				return nil
			}
			fmt.Fprint(cmd.OutOrStdout(), tree.FormatChanges(changes))
			return fmt.Errorf("%d file(s) differ from a fresh render of %s; run lowlat render -f %s -o %s", len(changes), o.inventory, o.inventory, o.dir)
		},
	}
	cmd.Flags().StringVarP(&o.inventory, "filename", "f", "", "inventory file (required)")
	cmd.Flags().StringVarP(&o.dir, "dir", "d", ".", "directory that holds the committed base/, overlays/ and apps/")
	_ = cmd.MarkFlagRequired("filename")
	return cmd
}

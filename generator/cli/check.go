package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/ordering"
	"github.com/lowlat/lowlat/generator/tree"
)

type checkOptions struct {
	inventory []string
	dir       string
}

func newCheckCommand() *cobra.Command {
	o := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check [-f INVENTORY...] [-d DIR]",
		Short: "Fail when the committed tree is not what the inventory renders, or syncs in an unsafe order",
		Long: `Check renders the inventory in memory and compares it with the generated
files under base/, overlays/, apps/ and krm/ of DIR. A changed file is
printed as a unified diff, as git prints it (a/ is the committed file, b/
the rendered one), an added or removed file by its path, and the command
exits non-zero, so CI catches a tree edited by hand or an inventory change
that was not rendered.

It then checks the sync order of the committed tree as ArgoCD would sync it
(the wave of each child Application in apps/<cluster>/, then each resource's
own wave): every custom resource after the operator that installs its CRD,
attachments after their SR-IOV policy, VMs and pods after their attachments
and PerformanceProfile, the baseline test before the change and the re-test
after it, the MachineSets before what tunes, measures or runs on their nodes,
and every namespaced resource after its Namespace. Each violation
is printed with the resource, its file, its waves and the rule.

Without -f only the sync order is checked, on any rendered tree.`,
		Example: `  # What make check runs
  lowlat check -f fixtures/inventories/workshop.yaml

  # Only the sync order of a tree
  lowlat check -d path/to/gitops`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var drift error
			if len(o.inventory) > 0 {
				var err error
				if drift, err = checkDrift(cmd, o); err != nil {
					return err
				}
			}
			order, err := checkOrder(cmd, o.dir)
			if err != nil {
				return err
			}
			return errors.Join(drift, order)
		},
	}
	cmd.Flags().StringArrayVarP(&o.inventory, "filename", "f", nil, "inventory file, or a directory of them; repeat for a fleet kept in several; without it only the sync order is checked")
	cmd.Flags().StringVarP(&o.dir, "dir", "d", ".", "directory that holds the committed base/, overlays/, apps/ and krm/")
	return cmd
}

// checkDrift compares the committed tree with a fresh render; the returned
// drift error says the check failed, err that it could not run.
func checkDrift(cmd *cobra.Command, o *checkOptions) (drift, err error) {
	fleet, err := inventory.OpenFleet(o.inventory, nil)
	if err != nil {
		return nil, err
	}
	checker := tree.NewChecker(o.dir)
	if err := stream(fleet, nil, checker, o.inventory, cmd.ErrOrStderr()); err != nil {
		return nil, err
	}
	changes := checker.Changes()
	if len(changes) == 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "%d files match the inventory\n", checker.Stats().Unchanged)
		return nil, nil
	}
	fmt.Fprint(cmd.OutOrStdout(), tree.FormatChanges(changes))
	files := strings.Join(o.inventory, " -f ")
	return fmt.Errorf("%d file(s) differ from a fresh render of %s; run lowlat render -f %s -o %s", len(changes), strings.Join(o.inventory, ", "), files, o.dir), nil
}

// checkOrder prints every sync order violation of the committed tree. It
// reads one cluster at a time (its overlay, its Applications and base/),
// so a fleet is never in memory whole.
func checkOrder(cmd *cobra.Command, dir string) (violation, err error) {
	entries, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(layout.ClusterDir(""))))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var vs []ordering.Violation
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t, err := tree.Read(dir, []string{"base", layout.AppsDir(e.Name()), layout.ClusterDir(e.Name())})
		if err != nil {
			return nil, err
		}
		found, err := ordering.Check(t)
		if err != nil {
			return nil, fmt.Errorf("sync order: %w", err)
		}
		vs = append(vs, found...)
	}
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].String() < vs[j].String() })
	if len(vs) == 0 {
		fmt.Fprintln(cmd.ErrOrStderr(), "sync order is safe")
		return nil, nil
	}
	for _, v := range vs {
		fmt.Fprintln(cmd.OutOrStdout(), v)
	}
	return fmt.Errorf("%d resource(s) would sync in an unsafe order", len(vs)), nil
}

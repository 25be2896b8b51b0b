package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lowlat/lowlat/generator/advise"
	"github.com/lowlat/lowlat/generator/inventory"
)

type adviseOptions struct {
	files    []string
	cluster  string
	workload string
	output   string
}

func newAdviseCommand() *cobra.Command {
	o := &adviseOptions{}
	cmd := &cobra.Command{
		Use:   "advise -f INVENTORY... [--cluster NAME] [--workload NAME] [-o text|markdown|json]",
		Short: "Say where each workload with needs runs and how it is tuned, and why",
		Long: `Advise reads the needs of each workload (workloads.apps, and the VMs and
pods that carry needs) and prints, per workload, the attribute → decision →
reason table, the platform (container or vm), the pool chosen and the knobs:
dedicated CPUs, hugepages and NUMA, SR-IOV, busy polling, local NVMe, the
emulator thread and I/O threads of a VM. Each decision says whether it was
derived from the needs or set in the inventory; knobs lowlat does not render
are marked as advice. A conflict or a need no pool serves fails the load,
as it fails lowlat render.`,
		Example: `  # The seed's five workloads on the workshop's pools
  lowlat advise -f fixtures/advise/seed-004.yaml
  # One workload, as JSON
  lowlat advise -f fixtures/advise/seed-004.yaml --workload gluster -o json`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			inv, err := inventory.LoadFleet(o.files)
			if err != nil {
				return err
			}
			advice, err := o.pick(inv)
			if err != nil {
				return err
			}
			return advise.Write(cmd.OutOrStdout(), o.output, advice)
		},
	}
	cmd.Flags().StringArrayVarP(&o.files, "file", "f", nil, "inventory file or directory (repeatable)")
	cmd.Flags().StringVar(&o.cluster, "cluster", "", "only this cluster")
	cmd.Flags().StringVar(&o.workload, "workload", "", "only the workload of this name")
	cmd.Flags().StringVarP(&o.output, "output", "o", "text", "text, markdown or json")
	_ = cmd.MarkFlagRequired("file")
	return cmd
}

// pick keeps the advice of the named cluster and workload.
func (o *adviseOptions) pick(inv *inventory.Inventory) ([]advise.Advice, error) {
	if !slices.Contains(advise.Formats, o.output) {
		return nil, fmt.Errorf("-o %s: one of %s", o.output, strings.Join(advise.Formats, ", "))
	}
	out := []advise.Advice{}
	found := o.cluster == ""
	for i := range inv.Spec.Clusters {
		c := &inv.Spec.Clusters[i]
		if o.cluster != "" && c.Name != o.cluster {
			continue
		}
		found = true
		for _, a := range c.Advice() {
			if o.workload == "" || a.Name == o.workload {
				out = append(out, a)
			}
		}
	}
	switch {
	case !found:
		return nil, fmt.Errorf("no cluster %q in the inventory", o.cluster)
	case o.workload != "" && len(out) == 0:
		return nil, fmt.Errorf("no workload %q with needs in the inventory", o.workload)
	}
	return out, nil
}

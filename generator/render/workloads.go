package render

import (
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/virt"
)

// workloadObjects renders the cluster's VMs and latency test runs, and
// the test runs' ServiceAccount, SCC binding, rights, scripts and
// retention.
func workloadObjects(inv *inventory.Inventory, c *inventory.Cluster) ([]any, error) {
	var objs []any
	for i := range c.Workloads.VMs {
		vm, err := virt.VirtualMachineFor(c, &c.Workloads.VMs[i])
		if err != nil {
			return nil, err
		}
		objs = append(objs, manifest.Commented{Object: vm, Comments: virt.VMComments(c, &c.Workloads.VMs[i])})
	}
	if len(c.Workloads.Pods) > 0 {
		keepRuns, keepResults := inventory.DefaultKeepRuns, inventory.DefaultKeepResults
		if pt := c.PerfTests; pt != nil {
			keepRuns, keepResults = pt.KeepRuns, pt.KeepResults
		}
		access, err := virt.TestRunAccess(c, keepRuns, keepResults)
		if err != nil {
			return nil, err
		}
		objs = append(append(objs, virt.TestPodAccess(c.Workloads.Namespace)...), access...)
	}
	for i := range c.Workloads.Pods {
		job, err := virt.TestRunFor(c, &c.Workloads.Pods[i], inv.Spec.GitOps.Namespace, ChildName(c.Name, ComponentWorkloads))
		if err != nil {
			return nil, err
		}
		objs = append(objs, job)
	}
	return objs, nil
}

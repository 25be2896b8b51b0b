package render

import (
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/virt"
)

// workloadObjects renders the cluster's VMs and latency test pods, and the
// test pods' ServiceAccount and SCC binding.
func workloadObjects(_ *inventory.Inventory, c *inventory.Cluster) ([]any, error) {
	var objs []any
	for i := range c.Workloads.VMs {
		vm, err := virt.VirtualMachineFor(c, &c.Workloads.VMs[i])
		if err != nil {
			return nil, err
		}
		objs = append(objs, vm)
	}
	if len(c.Workloads.Pods) > 0 {
		objs = append(objs, virt.TestPodAccess(c.Workloads.Namespace)...)
	}
	for i := range c.Workloads.Pods {
		pod, err := virt.TestPodFor(c, &c.Workloads.Pods[i])
		if err != nil {
			return nil, err
		}
		objs = append(objs, pod)
	}
	return objs, nil
}

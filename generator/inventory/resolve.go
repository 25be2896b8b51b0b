package inventory

import (
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/lowlat/lowlat/generator/host"
)

// Resolve works out the hardware of a defaulted inventory's pools: each
// pool's instance type from the catalog, its topology (the catalog's
// layout, or the capture its topology field names, read from files), its
// CPU partition and whether its hugepages fit; then whether each VM and test
// pod fits its pool. A pool whose own fields Validate refuses is not
// partitioned, and only a pool resolved without a problem has a Host; a
// workload Validate refuses is not fitted. Problems are reported on the
// field a user would change.
func Resolve(inv *Inventory, files host.Files) field.ErrorList {
	var errs field.ErrorList
	for i := range inv.Spec.Clusters {
		c := &inv.Spec.Clusters[i]
		cp := field.NewPath("spec", "clusters").Index(i)
		for j := range c.NodePools {
			errs = append(errs, resolvePool(&c.NodePools[j], files, cp.Child("nodePools").Index(j))...)
		}
		errs = append(errs, fitWorkloads(c, cp)...)
	}
	return errs
}

func resolvePool(np *NodePool, files host.Files, p *field.Path) field.ErrorList {
	np.host = nil
	// Partitioning a tuning that is already wrong would only restate it.
	tuningOK := len(validateTuningFields(&np.Tuning, p.Child("tuning"))) == 0
	h, errs := resolveHost(np, files, p, tuningOK)
	if len(errs) == 0 && len(validatePool(np, p)) == 0 {
		np.host = h
	}
	return errs
}

// fitWorkloads checks the cluster's VMs and test pods against their pools.
func fitWorkloads(c *Cluster, p *field.Path) field.ErrorList {
	wp := p.Child("workloads")
	var errs field.ErrorList
	for i := range c.Workloads.VMs {
		errs = append(errs, fitVM(c, &c.Workloads.VMs[i], wp.Child("vms").Index(i))...)
	}
	for i := range c.Workloads.Pods {
		errs = append(errs, fitTestPod(c, &c.Workloads.Pods[i], wp.Child("pods").Index(i))...)
	}
	return errs
}

package inventory

import (
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/lowlat/lowlat/generator/host"
)

// Resolve works out the hardware of a defaulted inventory's pools: each
// pool's instance type from the catalog, its topology (the catalog's
// layout, or the capture its topology field names, read from files), its
// CPU partition and whether its hugepages fit; then whether each VM and test
// pod fits its pool. invalid is what Validate found: a pool whose tuning it
// rejected is not partitioned, only a pool it accepted and that resolves
// without a problem has a Host, and a workload it rejected is not fitted.
// Problems are reported on the field a user would change.
func Resolve(inv *Inventory, files host.Files, invalid field.ErrorList) field.ErrorList {
	r := resolver{files: files, invalid: invalid}
	var errs field.ErrorList
	for i := range inv.Spec.Clusters {
		c := &inv.Spec.Clusters[i]
		cp := field.NewPath("spec", "clusters").Index(i)
		for j := range c.NodePools {
			errs = append(errs, r.pool(&c.NodePools[j], cp.Child("nodePools").Index(j))...)
		}
		errs = append(errs, r.workloads(c, cp)...)
	}
	return errs
}

type resolver struct {
	files   host.Files
	invalid field.ErrorList
}

// rejected reports whether Validate found a problem at p or below it.
func (r resolver) rejected(p *field.Path) bool {
	at := p.String()
	for _, e := range r.invalid {
		if e.Field == at || strings.HasPrefix(e.Field, at+".") || strings.HasPrefix(e.Field, at+"[") {
			return true
		}
	}
	return false
}

func (r resolver) pool(np *NodePool, p *field.Path) field.ErrorList {
	np.host = nil
	// Partitioning a tuning that is already wrong would only restate it.
	h, errs := resolveHost(np, r.files, p, !r.rejected(p.Child("tuning")))
	if len(errs) == 0 && !r.rejected(p) {
		np.host = h
	}
	return errs
}

// workloads checks the cluster's VMs and test pods against their pools.
func (r resolver) workloads(c *Cluster, p *field.Path) field.ErrorList {
	wp := p.Child("workloads")
	var errs field.ErrorList
	for i := range c.Workloads.VMs {
		if vp := wp.Child("vms").Index(i); !r.rejected(vp) {
			errs = append(errs, fitVM(c, &c.Workloads.VMs[i], vp)...)
		}
	}
	for i := range c.Workloads.Pods {
		if pp := wp.Child("pods").Index(i); !r.rejected(pp) {
			errs = append(errs, fitTestPod(c, &c.Workloads.Pods[i], pp)...)
		}
	}
	return errs
}

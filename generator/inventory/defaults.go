package inventory

import "k8s.io/apimachinery/pkg/util/intstr"

// Defaults, in one place. Each says why it is the default.
const (
	// DefaultTopologyPolicy is single-numa-node because low-latency pods need
	// CPUs, memory and devices on one NUMA node, and it is the policy under
	// which kubelet enables full-pcpus-only.
	DefaultTopologyPolicy = "single-numa-node"
)

// Default fills every field the user may omit. It never overrides a value
// that was set, and it is idempotent.
func Default(inv *Inventory) {
	if inv.APIVersion == "" {
		inv.APIVersion = APIVersion
	}
	if inv.Kind == "" {
		inv.Kind = Kind
	}
	defaultGitOps(&inv.Spec)
	for c := range inv.Spec.Clusters {
		defaultWorkloads(&inv.Spec.Clusters[c], inv.Spec.OpenShift.Version)
		defaultNetworks(&inv.Spec.Clusters[c])
		for p := range inv.Spec.Clusters[c].NodePools {
			defaultPool(&inv.Spec.Clusters[c].NodePools[p])
		}
		defaultMachines(&inv.Spec.Clusters[c])
		if m := &inv.Spec.Clusters[c].Monitoring; m.Namespace == "" {
			m.Namespace = DefaultMonitoringNamespace
		}
	}
}

func defaultPool(p *NodePool) {
	if p.NodeRole == "" {
		p.NodeRole = p.Name
	}
	if p.MaxUnavailable == nil {
		p.MaxUnavailable = &NodeCount{intstr.FromInt32(1)}
	}
	defaultTuning(&p.Tuning)
}

func defaultTuning(t *Tuning) {
	if t.SMT == nil {
		t.SMT = ptr(true)
	}
	if t.TopologyPolicy == "" {
		t.TopologyPolicy = DefaultTopologyPolicy
	}
	if t.WorkloadHints == nil {
		t.WorkloadHints = &WorkloadHints{}
	}
	// The Node Tuning Operator treats an unset realTime hint as true.
	if t.WorkloadHints.RealTime == nil {
		t.WorkloadHints.RealTime = ptr(true)
	}
	if t.DefaultHugepagesSize == "" && len(t.Hugepages) > 0 && sameSize(t.Hugepages) {
		t.DefaultHugepagesSize = t.Hugepages[0].Size
	}
}

func sameSize(pages []Hugepages) bool {
	for _, p := range pages[1:] {
		if p.Size != pages[0].Size {
			return false
		}
	}
	return true
}

func ptr[T any](v T) *T { return &v }

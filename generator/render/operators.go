package render

import (
	"sort"

	"github.com/lowlat/lowlat/generator/gates"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/operators"
	"github.com/lowlat/lowlat/generator/tuning"
)

// operatorsBase installs the operators every cluster shares: they depend
// only on the inventory's OpenShift version.
func operatorsBase(inv *inventory.Inventory) ([]any, error) {
	objs, err := operators.InstallObjects(inv.Spec.OpenShift.Version)
	if err != nil {
		return nil, err
	}
	objs = append(objs, gates.Access()...)
	return append(objs, gates.OperatorsReady(operators.Installed)...), nil
}

// workloadsNamespaceLabels let the latency test pods run privileged (they
// need SCHED_FIFO and /dev/cpu_dma_latency) and keep OpenShift's label
// synchronizer from lowering the pod security level again.
var workloadsNamespaceLabels = map[string]string{
	"pod-security.kubernetes.io/enforce":             "privileged",
	"pod-security.kubernetes.io/audit":               "privileged",
	"pod-security.kubernetes.io/warn":                "privileged",
	"security.openshift.io/scc.podSecurityLabelSync": "false",
}

// operatorsCluster creates the cluster's own namespaces in the first wave,
// before anything is placed in them: the workloads namespace (VMs, test
// pods and, by default, the networks' NADs) and the perf tests namespace.
func operatorsCluster(_ *inventory.Inventory, c *inventory.Cluster) ([]any, error) {
	var objs []any
	ns := c.Workloads.Namespace
	if usesWorkloadsNamespace(c) {
		objs = append(objs, operators.NewNamespace(ns, workloadsNamespaceLabels, nil))
	}
	if pt := c.PerfTests; pt != nil && pt.Namespace != ns {
		objs = append(objs, operators.NewNamespace(pt.Namespace, nil, nil))
	}
	return objs, nil
}

func usesWorkloadsNamespace(c *inventory.Cluster) bool {
	if len(c.Workloads.VMs) > 0 || len(c.Workloads.Pods) > 0 {
		return true
	}
	for _, n := range c.Networks {
		if n.Namespace == "" || n.Namespace == c.Workloads.Namespace {
			return true
		}
	}
	return false
}

// operatorConfig configures the operators for the cluster's pools and VMs.
func operatorConfig(_ *inventory.Inventory, c *inventory.Cluster) ([]any, error) {
	settings := operators.VirtSettings{AlignCPUs: c.Workloads.AlignCPUs}
	if len(c.Workloads.VMs) > 0 {
		// Validation keeps every VM on one pool.
		if np := c.Pool(c.Workloads.VMs[0].NodePool); np != nil {
			settings.RuntimeClass = tuning.RuntimeClass(np)
		}
	}
	return []any{
		operators.SriovOperatorConfigFor(sriovDaemonSelectors(c)),
		operators.HyperConvergedFor(settings),
	}, nil
}

// sriovDaemonSelectors are the node selectors of the pools that carry
// SR-IOV networks, or of every pool when the cluster has no networks yet.
func sriovDaemonSelectors(c *inventory.Cluster) []map[string]string {
	pools := map[string]bool{}
	for _, n := range c.Networks {
		if len(n.NodePools) == 0 {
			pools = nil
			break
		}
		for _, name := range n.NodePools {
			pools[name] = true
		}
	}
	var names []string
	for i := range c.NodePools {
		if len(pools) == 0 || pools[c.NodePools[i].Name] {
			names = append(names, c.NodePools[i].Name)
		}
	}
	sort.Strings(names)
	var selectors []map[string]string
	for _, name := range names {
		selectors = append(selectors, tuning.NodeSelector(c.Pool(name)))
	}
	return selectors
}

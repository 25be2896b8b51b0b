package render

import (
	"slices"
	"sort"

	"github.com/lowlat/lowlat/generator/gates"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/operators"
	"github.com/lowlat/lowlat/generator/sriov"
	"github.com/lowlat/lowlat/generator/tuning"
)

// networkingObjects renders a cluster's SR-IOV networks: the node policies,
// which need the operator (synced before) and the tuned pools' node roles,
// and the attachments pods and VMs (synced after) name.
func networkingObjects(_ *inventory.Inventory, c *inventory.Cluster) ([]any, error) {
	objs, err := sriov.Objects(c)
	if err != nil {
		return nil, err
	}
	return append(append(networkNamespaces(c), objs...), networkGates(c)...), nil
}

// networkGates wait, per pool and network, for every node of the pool to
// advertise the network's VFs: as many as the pool's instances have ENIs
// in the network's subnet (one when the inventory lists no instances). A
// pool whose instances differ has no single count to wait for, and gets
// no gate.
func networkGates(c *inventory.Cluster) []any {
	var out []any
	for i := range c.NodePools {
		np := &c.NodePools[i]
		for j := range c.Networks {
			n := &c.Networks[j]
			if !slices.Contains(c.PoolsOf(n), np) {
				continue
			}
			count, ok := sriov.VFsPerNode(np, n)
			if !ok {
				continue
			}
			out = append(out, gates.NetworkReady(np.Name, n.Name, sriov.ResourceName(n.Name), tuning.NodeSelector(np), count))
		}
	}
	return out
}

// networkNamespaces creates the namespaces of attachments that live outside
// the namespaces the operators component creates (workloads, perf tests).
// They sync with their attachments: within one sync ArgoCD applies
// Namespaces before the objects in them.
func networkNamespaces(c *inventory.Cluster) []any {
	own := map[string]bool{c.Workloads.Namespace: true}
	if c.PerfTests != nil {
		own[c.PerfTests.Namespace] = true
	}
	var names []string
	for _, n := range c.Networks {
		if !own[n.Namespace] {
			own[n.Namespace] = true
			names = append(names, n.Namespace)
		}
	}
	sort.Strings(names)
	objs := make([]any, 0, len(names))
	for _, ns := range names {
		objs = append(objs, operators.NewNamespace(ns, nil, nil))
	}
	return objs
}

package render

import (
	"sort"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/operators"
	"github.com/lowlat/lowlat/generator/sriov"
)

// networkingObjects renders a cluster's SR-IOV networks: the node policies,
// which need the operator (synced before) and the tuned pools' node roles,
// and the attachments pods and VMs (synced after) name.
func networkingObjects(_ *inventory.Inventory, c *inventory.Cluster) ([]any, error) {
	objs, err := sriov.Objects(c)
	if err != nil {
		return nil, err
	}
	return append(networkNamespaces(c), objs...), nil
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

package inventory

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// checkMemory verifies that each NUMA node can hold the hugepages placed on it
// plus, on node 0, the memory kubelet reserves. Pages without a node are
// spread by the kernel across all nodes; the check assumes the worst node gets
// the rounded-up share.
func checkMemory(h *Host, pages []Hugepages, p *field.Path) field.ErrorList {
	nodes := h.Topology.Nodes()
	perNodeMiB := int64(h.InstanceType.MemoryGiB) * 1024 / int64(len(nodes))
	need := make(map[int]int64, len(nodes))
	var errs field.ErrorList
	for i, hp := range pages {
		size := hugepageMiB[hp.Size] * int64(hp.Count)
		if hp.Node == nil {
			share := (int64(hp.Count) + int64(len(nodes)) - 1) / int64(len(nodes))
			for _, n := range nodes {
				need[n] += hugepageMiB[hp.Size] * share
			}
			continue
		}
		if !contains(nodes, *hp.Node) {
			errs = append(errs, field.Invalid(p.Index(i).Child("node"), *hp.Node,
				fmt.Sprintf("%s has NUMA nodes %v", h.InstanceType.Name, nodes)))
			continue
		}
		need[*hp.Node] += size
	}
	need[nodes[0]] += KubeletReservedMiB
	for _, n := range nodes {
		if need[n] > perNodeMiB {
			errs = append(errs, field.Invalid(p, fmt.Sprintf("%d MiB on NUMA node %d", need[n], n),
				fmt.Sprintf("%s has %d MiB per NUMA node; hugepages%s must fit in it", h.InstanceType.Name, perNodeMiB, reservedNote(n, nodes[0]))))
		}
	}
	return errs
}

func reservedNote(node, first int) string {
	if node != first {
		return ""
	}
	return fmt.Sprintf(" plus the %d MiB kubelet reserves on node %d", KubeletReservedMiB, first)
}

func contains(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

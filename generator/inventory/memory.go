package inventory

import (
	"fmt"
	"math"

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
		size := mulMiB(hugepageMiB[hp.Size], int64(hp.Count))
		if hp.Node == nil {
			share := ceilDiv(int64(hp.Count), int64(len(nodes)))
			for _, n := range nodes {
				need[n] = addMiB(need[n], mulMiB(hugepageMiB[hp.Size], share))
			}
			continue
		}
		if !contains(nodes, *hp.Node) {
			errs = append(errs, field.Invalid(p.Index(i).Child("node"), *hp.Node,
				fmt.Sprintf("%s has NUMA nodes %v", h.InstanceType.Name, nodes)))
			continue
		}
		need[*hp.Node] = addMiB(need[*hp.Node], size)
	}
	need[nodes[0]] = addMiB(need[nodes[0]], KubeletReservedMiB)
	for _, n := range nodes {
		if need[n] > perNodeMiB {
			errs = append(errs, field.Invalid(p, fmt.Sprintf("%d MiB on NUMA node %d", need[n], n),
				fmt.Sprintf("%s has %d MiB per NUMA node; hugepages%s must fit in it", h.InstanceType.Name, perNodeMiB, reservedNote(n, nodes[0]))))
		}
	}
	return errs
}

// mulMiB and addMiB saturate at math.MaxInt64: an absurd hugepage count
// must fail the fit check, not wrap round to a small or negative size.
func mulMiB(perPage, count int64) int64 {
	if perPage > 0 && count > math.MaxInt64/perPage {
		return math.MaxInt64
	}
	return perPage * count
}

func addMiB(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// ceilDiv is a/b rounded up, without the a+b-1 that overflows near MaxInt64.
func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 {
		q++
	}
	return q
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

package inventory

import (
	"fmt"
	"math"
	"strings"

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
	bySize := map[int]map[string]int64{} // node → page size → MiB of that size there
	add := func(n int, size string, mib int64) {
		need[n] = addMiB(need[n], mib)
		if bySize[n] == nil {
			bySize[n] = map[string]int64{}
		}
		bySize[n][size] = addMiB(bySize[n][size], mib)
	}
	var errs field.ErrorList
	for i, hp := range pages {
		size := mulMiB(hugepageMiB[hp.Size], int64(hp.Count))
		if hp.Node == nil {
			share := ceilDiv(int64(hp.Count), int64(len(nodes)))
			for _, n := range nodes {
				add(n, hp.Size, mulMiB(hugepageMiB[hp.Size], share))
			}
			continue
		}
		if !contains(nodes, *hp.Node) {
			errs = append(errs, field.Invalid(p.Index(i).Child("node"), *hp.Node,
				fmt.Sprintf("%s has NUMA nodes %v", h.InstanceType.Name, nodes)))
			continue
		}
		add(*hp.Node, hp.Size, size)
	}
	need[nodes[0]] = addMiB(need[nodes[0]], KubeletReservedMiB)
	for _, n := range nodes {
		if need[n] > perNodeMiB {
			errs = append(errs, field.Invalid(p, fmt.Sprintf("%d MiB on NUMA node %d", need[n], n),
				fmt.Sprintf("%s has %d MiB per NUMA node; hugepages%s must fit in it%s",
					h.InstanceType.Name, perNodeMiB, reservedNote(n, nodes[0]), maxPages(bySize[n], perNodeMiB-reservedOn(n, nodes[0])))))
		}
	}
	return errs
}

// maxPages says, for each page size on an overfull node, how many pages of
// it fit in free MiB beside the node's pages of the other size.
func maxPages(sizes map[string]int64, free int64) string {
	var parts []string
	for _, size := range []string{"1G", "2M"} {
		if _, ok := sizes[size]; !ok {
			continue
		}
		room := free
		for other, mib := range sizes {
			if other != size {
				room -= min(mib, room)
			}
		}
		parts = append(parts, fmt.Sprintf("%d pages of %s", max(room, 0)/hugepageMiB[size], size))
	}
	if len(parts) == 0 {
		return ""
	}
	return ": at most " + strings.Join(parts, " or ") + " there"
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

// reservedOn is what kubelet reserves on node: its memory reservation, on
// the first node.
func reservedOn(node, first int) int64 {
	if node != first {
		return 0
	}
	return KubeletReservedMiB
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

package inventory

import (
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// demand is what one VM or test pod needs from its pool's tuned nodes.
type demand struct {
	what    string // "VM vm1", "pod oslat-c5"
	request int    // the cpus field as written
	cpus    int    // dedicated CPUs in total
	cpuNote string // how cpus adds up, for messages
	// parityHint says how to reach an even CPU count.
	parityHint string
	pageSize   string            // 1Gi or 2Mi; "" without hugepages
	memory     resource.Quantity // the hugepage-backed memory
}

// fits checks the demand against the pool's partition and hugepages. Under
// the single-numa-node policy kubelet admits a pod only when one NUMA node
// has all its CPUs and hugepages, and it enables full-pcpus-only, which hands
// out whole cores only.
func (d demand) fits(np *NodePool, cpuPath, memPath, sizePath *field.Path) field.ErrorList {
	single := np.Tuning.TopologyPolicy == DefaultTopologyPolicy
	errs := d.fitCPUs(np, single, cpuPath)
	if single && *np.Tuning.SMT && np.Host().Topology.SMT() && d.cpus%2 == 1 {
		errs = append(errs, field.Invalid(cpuPath, d.request, fmt.Sprintf(
			"%s needs %d dedicated CPUs (%s), an odd number, but pool %s hands out whole cores only "+
				"(full-pcpus-only: topology policy single-numa-node with SMT on); %s",
			d.what, d.cpus, d.cpuNote, np.Name, d.parityHint)))
	}
	errs = append(errs, d.fitPages(np, single, memPath, sizePath)...)
	if len(errs) == 0 && single && d.pageSize != "" {
		errs = d.oneNode(np, cpuPath)
	}
	return errs
}

func (d demand) fitCPUs(np *NodePool, single bool, p *field.Path) field.ErrorList {
	if !single {
		if n := np.Host().Partition.Isolated.Len(); d.cpus > n {
			return fieldErr(field.Invalid(p, d.request, fmt.Sprintf(
				"%s needs %d dedicated CPUs (%s), but pool %s isolates only %d", d.what, d.cpus, d.cpuNote, np.Name, n)))
		}
		return nil
	}
	most, node := 0, 0
	for n, count := range isolatedPerNode(np) {
		if count > most || (count == most && n < node) {
			most, node = count, n
		}
	}
	if d.cpus > most {
		return fieldErr(field.Invalid(p, d.request, fmt.Sprintf(
			"%s needs %d dedicated CPUs (%s) on one NUMA node under the single-numa-node policy, "+
				"but pool %s isolates at most %d CPUs on one NUMA node (node %d)", d.what, d.cpus, d.cpuNote, np.Name, most, node)))
	}
	return nil
}

func (d demand) fitPages(np *NodePool, single bool, memPath, sizePath *field.Path) field.ErrorList {
	if d.pageSize == "" {
		return nil
	}
	size := ProfilePageSize[d.pageSize]
	perNode, total := pagesPerNode(np, size)
	if total == 0 {
		return fieldErr(field.Invalid(sizePath, d.pageSize, fmt.Sprintf(
			"%s asks for %s hugepages, but pool %s's PerformanceProfile reserves no %s pages (it reserves %s)",
			d.what, d.pageSize, np.Name, size, reservedSizes(np))))
	}
	pageBytes := hugepageMiB[size] << 20
	if d.memory.Value()%pageBytes != 0 {
		return fieldErr(field.Invalid(memPath, d.memory.String(), fmt.Sprintf(
			"%s: %s of hugepage memory is not a whole number of %s pages", d.what, d.memory.String(), d.pageSize)))
	}
	need := d.memory.Value() / pageBytes
	avail, where := total, ""
	if single {
		avail, where = maxValue(perNode), " on one NUMA node"
	}
	if need > avail {
		return fieldErr(field.Invalid(memPath, d.memory.String(), fmt.Sprintf(
			"%s needs %d %s pages%s, but pool %s reserves %d%s", d.what, need, d.pageSize, where, np.Name, avail, where)))
	}
	return nil
}

// oneNode checks that a single NUMA node has both the CPUs and the pages.
func (d demand) oneNode(np *NodePool, p *field.Path) field.ErrorList {
	size := ProfilePageSize[d.pageSize]
	need := d.memory.Value() / (hugepageMiB[size] << 20)
	pages, _ := pagesPerNode(np, size)
	for n, cpus := range isolatedPerNode(np) {
		if cpus >= d.cpus && pages[n] >= need {
			return nil
		}
	}
	return fieldErr(field.Invalid(p, d.request, fmt.Sprintf(
		"%s needs %d dedicated CPUs and %d %s pages on the same NUMA node, but no NUMA node of pool %s has both "+
			"(isolated CPUs per node %v, pages per node %v)", d.what, d.cpus, need, d.pageSize, np.Name, isolatedPerNode(np), pages)))
}

// isolatedPerNode counts the pool's isolated CPUs on each NUMA node.
func isolatedPerNode(np *NodePool) map[int]int {
	h := np.Host()
	out := map[int]int{}
	for _, n := range h.Topology.Nodes() {
		out[n] = h.Partition.Isolated.Intersect(h.Topology.NodeCPUs(n)).Len()
	}
	return out
}

// pagesPerNode counts the profile's pages of one size on each NUMA node and
// in total. Pages without a node are spread evenly by the kernel; a node is
// sure of the rounded-down share.
func pagesPerNode(np *NodePool, size string) (map[int]int64, int64) {
	nodes := np.Host().Topology.Nodes()
	out := map[int]int64{}
	var total int64
	for _, hp := range np.Tuning.Hugepages {
		if hp.Size != size {
			continue
		}
		total += int64(hp.Count)
		if hp.Node != nil {
			out[*hp.Node] += int64(hp.Count)
			continue
		}
		for _, n := range nodes {
			out[n] += int64(hp.Count / len(nodes))
		}
	}
	return out, total
}

func maxValue(m map[int]int64) int64 {
	var most int64
	for _, v := range m {
		most = max(most, v)
	}
	return most
}

func reservedSizes(np *NodePool) string {
	seen := map[string]bool{}
	var sizes []string
	for _, hp := range np.Tuning.Hugepages {
		if !seen[hp.Size] {
			seen[hp.Size] = true
			sizes = append(sizes, hp.Size)
		}
	}
	if len(sizes) == 0 {
		return "no hugepages"
	}
	sort.Strings(sizes)
	return "only " + strings.Join(sizes, ", ")
}

package tuning

import (
	"fmt"
	"strings"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/topology"
)

// ProfileComments say where a pool's profile got its CPU sets and its
// hugepages from: the host's layout and the rule that split it, and what
// the pages take of each NUMA node. A pool without a resolved host gets
// none.
func ProfileComments(np *inventory.NodePool) []manifest.Comment {
	h := np.Host()
	if h == nil {
		return nil
	}
	out := []manifest.Comment{{Path: []string{"spec", "cpu"}, Text: cpuComment(np, h)}}
	if len(np.Tuning.Hugepages) > 0 {
		out = append(out, manifest.Comment{Path: []string{"spec", "hugepages"}, Text: hugepagesComment(np, h)})
	}
	return out
}

// cpuComment describes the host and how each set was chosen.
func cpuComment(np *inventory.NodePool, h *inventory.Host) string {
	t, topo, part := &np.Tuning, h.Topology, h.Partition
	lines := []string{fmt.Sprintf("%s, %s: %s", h.InstanceType.Name, layoutSource(np.Topology), Shape(topo))}

	reserved := fmt.Sprintf("reserved: %s", counted(part.Reserved.Len(), "CPU", "CPUs"))
	switch {
	case t.ReservedCPUs.IsSet():
		reserved += ", the set tuning.reservedCPUs names"
	case t.SplitReservedAcrossNUMA:
		reserved += fmt.Sprintf(" split across the NUMA nodes (splitReservedAcrossNUMA), %s: %s", unit(topo, part), perNode(topo, part.Reserved))
	default:
		reserved += fmt.Sprintf(", %s from NUMA node %d up, lowest CPU first, as the Performance Profile Creator reserves: %s",
			unit(topo, part), topo.Nodes()[0], perNode(topo, part.Reserved))
	}
	lines = append(lines, reserved)

	if !part.Offlined.IsEmpty() {
		lines = append(lines, fmt.Sprintf("offlined: %s (tuning.offlinedCPUs): %s", counted(part.Offlined.Len(), "CPU", "CPUs"), offlinedRule(topo, part)))
	}
	if !part.Disabled.IsEmpty() {
		lines = append(lines, fmt.Sprintf("smt: false: one thread of each core takes part; the kernel argument nosmt keeps the other %d offline", part.Disabled.Len()))
	}
	lines = append(lines, fmt.Sprintf("isolated: the other %d, for Guaranteed pods and VMs with whole cores", part.Isolated.Len()))
	return strings.Join(lines, "\n")
}

// layoutSource names where a pool's CPU layout was read.
func layoutSource(src *inventory.TopologySource) string {
	switch {
	case src == nil:
		return "the catalog's layout"
	case src.LSCPU != "":
		return "the lscpu capture " + src.LSCPU
	case src.Sysinfo != "" && src.Node != "":
		return "node " + src.Node + " of the sysfs snapshot " + src.Sysinfo
	case src.Sysinfo != "":
		return "the sysfs snapshot " + src.Sysinfo
	}
	return "the catalog's layout"
}

// Shape is a host's layout in a line: "2 sockets × 24 cores × 2 threads,
// 2 NUMA nodes, 96 CPUs".
func Shape(topo topology.Topology) string {
	sockets, cores := len(topo.Sockets()), len(topo.Cores())
	perSocket := counted(cores, "core", "cores") + " in all"
	if cores%sockets == 0 {
		perSocket = counted(cores/sockets, "core", "cores")
	}
	return fmt.Sprintf("%s × %s × %s, %s, %s", counted(sockets, "socket", "sockets"), perSocket,
		counted(topo.ThreadsPerCore(), "thread", "threads"), counted(len(topo.Nodes()), "NUMA node", "NUMA nodes"),
		counted(len(topo.CPUs), "CPU", "CPUs"))
}

// unit is what reserved CPUs are taken in.
func unit(topo topology.Topology, part topology.Partition) string {
	if topo.SMT() && part.Disabled.IsEmpty() {
		return "whole cores (every thread of a core)"
	}
	return "one CPU per core"
}

// perNode lists how many CPUs of set each NUMA node holds.
func perNode(topo topology.Topology, set topology.CPUSet) string {
	var parts []string
	for _, n := range topo.Nodes() {
		if k := topo.NodeCPUs(n).Intersect(set).Len(); k > 0 {
			parts = append(parts, fmt.Sprintf("%d on node %d", k, n))
		}
	}
	return strings.Join(parts, ", ")
}

// offlinedRule says which of the Performance Profile Creator's rules chose
// the offlined CPUs: whole sockets without a reserved CPU, then the second
// threads of cores, then any CPU not reserved.
func offlinedRule(topo topology.Topology, part topology.Partition) string {
	var sockets []string
	inSockets := topology.CPUSet{}
	for _, s := range topo.Sockets() {
		cpus := topo.SocketCPUs(s)
		if cpus.Intersect(part.Offlined).Equal(cpus.Difference(part.Disabled)) {
			sockets = append(sockets, fmt.Sprint(s))
			inSockets = inSockets.Union(cpus)
		}
	}
	rest := part.Offlined.Difference(inSockets)
	seconds := 0
	for _, cpu := range rest.Slice() {
		if topo.Siblings(cpu).Slice()[0] != cpu {
			seconds++
		}
	}
	var rules []string
	if len(sockets) == 1 {
		rules = append(rules, "socket "+sockets[0]+", which holds no reserved CPU, first")
	} else if len(sockets) > 1 {
		rules = append(rules, "sockets "+strings.Join(sockets, ", ")+", which hold no reserved CPU, first")
	}
	if seconds > 0 {
		rules = append(rules, fmt.Sprintf("the second threads of %s, by socket and core id", counted(seconds, "core", "cores")))
	}
	if others := rest.Len() - seconds; others > 0 && len(rules) == 0 {
		rules = append(rules, "CPUs that are not reserved, by socket and core id")
	} else if others > 0 {
		rules = append(rules, fmt.Sprintf("%d more that are not reserved", others))
	}
	return strings.Join(rules, "; then ") + ", as the Performance Profile Creator offlines"
}

// hugepagesComment says what the pages take of each NUMA node.
func hugepagesComment(np *inventory.NodePool, h *inventory.Host) string {
	nodes := h.Topology.Nodes()
	perNodeGiB := float64(h.InstanceType.MemoryPerNUMAMiB()) / 1024
	lines := []string{fmt.Sprintf("%s has %s GiB of memory, %s GiB per NUMA node", h.InstanceType.Name, gib(float64(h.InstanceType.MemoryGiB)), gib(perNodeGiB))}
	for _, p := range np.Tuning.Hugepages {
		size := float64(inventory.HugepageBytes(p.Size)*int64(p.Count)) / (1 << 30)
		if p.Node != nil {
			lines = append(lines, fmt.Sprintf("node %d: %d × %s = %s GiB", *p.Node, p.Count, p.Size, gib(size)))
			continue
		}
		lines = append(lines, fmt.Sprintf("%d × %s = %s GiB on no one node: the kernel spreads them over the %s, about %d each",
			p.Count, p.Size, gib(size), counted(len(nodes), "NUMA node", "NUMA nodes"), (p.Count+len(nodes)-1)/len(nodes)))
	}
	return strings.Join(lines, "\n")
}

// gib writes GiB without trailing zeros.
func gib(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}

// counted is n with its noun in the singular or the plural.
func counted(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

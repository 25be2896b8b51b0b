package topology

import (
	"cmp"
	"slices"
)

// host is the part of a topology that takes part in a partition: with
// hyper-threading disabled, only the first thread of each core.
type host struct {
	cores    []Core     // by socket, then core id: the offlining order
	sockets  []cpuGroup // ascending id
	nodes    []cpuGroup // ascending id; cores by lowest CPU: the reserving order
	all      CPUSet
	disabled CPUSet
	firstOf  map[int]int // disabled CPU → the first thread of its core
	smt      bool
}

// cpuGroup is a socket or a NUMA node with its cores.
type cpuGroup struct {
	id    int
	cores []Core
	cpus  CPUSet
}

func newHost(t Topology, disableHT bool) *host {
	h := &host{cores: t.Cores(), firstOf: map[int]int{}}
	var all, disabled []int
	for i, c := range h.cores {
		if disableHT && len(c.CPUs) > 1 {
			for _, id := range c.CPUs[1:] {
				disabled = append(disabled, id)
				h.firstOf[id] = c.CPUs[0]
			}
			h.cores[i].CPUs = c.CPUs[:1]
		}
		all = append(all, h.cores[i].CPUs...)
		h.smt = h.smt || len(h.cores[i].CPUs) > 1
	}
	h.all, h.disabled = NewCPUSet(all...), NewCPUSet(disabled...)
	h.sockets = groupCores(h.cores, func(c Core) int { return c.Socket })
	h.nodes = groupCores(h.cores, func(c Core) int { return c.Node })
	for _, n := range h.nodes {
		slices.SortFunc(n.cores, func(a, b Core) int { return cmp.Compare(a.CPUs[0], b.CPUs[0]) })
	}
	return h
}

// groupCores groups cores by key, groups ascending, keeping the cores' order.
func groupCores(cores []Core, key func(Core) int) []cpuGroup {
	var ids []int
	for _, c := range cores {
		ids = append(ids, key(c))
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	groups := make([]cpuGroup, len(ids))
	for i, id := range ids {
		groups[i].id = id
		var cpus []int
		for _, c := range cores {
			if key(c) == id {
				groups[i].cores = append(groups[i].cores, c)
				cpus = append(cpus, c.CPUs...)
			}
		}
		groups[i].cpus = NewCPUSet(cpus...)
	}
	return groups
}

// unit is the step reserved counts move in: a pair of threads with SMT on,
// since PPC refuses an odd count then.
func (h *host) unit() int {
	if h.smt {
		return 2
	}
	return 1
}

// offline picks n CPUs to offline, never a reserved one, in PPC's order.
func (h *host) offline(reserved CPUSet, n int, highPower bool) CPUSet {
	p := picker{want: n, skip: reserved, taken: map[int]bool{}}
	if !highPower { // ultra-low-latency keeps every socket powered
		for _, s := range h.sockets {
			if s.cpus.Len() <= p.left() && s.cpus.Intersect(reserved).IsEmpty() {
				p.takeAll(s.cpus.ids)
			}
		}
	}
	for _, c := range h.cores {
		p.takeAll(c.CPUs[1:]) // second siblings: the core keeps running
	}
	for _, c := range h.cores {
		p.takeAll(c.CPUs)
	}
	return NewCPUSet(p.ids...)
}

// picker collects up to want CPUs, each once, none of skip.
type picker struct {
	want  int
	skip  CPUSet
	taken map[int]bool
	ids   []int
}

func (p *picker) left() int { return p.want - len(p.ids) }

func (p *picker) takeAll(ids []int) {
	for _, id := range ids {
		if p.left() > 0 && !p.taken[id] && !p.skip.Contains(id) {
			p.taken[id] = true
			p.ids = append(p.ids, id)
		}
	}
}

package topology

import (
	"fmt"
	"strconv"
	"strings"
)

// reserve picks the reserved CPUs of r.
func (h *host) reserve(r Request) (CPUSet, error) {
	if !r.ReservedSet.IsEmpty() {
		return h.reserveSet(r.ReservedSet)
	}
	if r.SplitAcrossNUMA {
		if err := h.checkSplitCount(r.Reserved); err != nil {
			return CPUSet{}, err
		}
	}
	if err := h.checkReservedCount(r.Reserved); err != nil {
		return CPUSet{}, err
	}
	if r.SplitAcrossNUMA {
		return h.reserveSplit(r.Reserved)
	}
	var ids []int
	for _, n := range h.nodes {
		ids = takeCPUs(n.cores, r.Reserved-len(ids), ids)
	}
	return NewCPUSet(ids...), nil
}

// takeCPUs appends up to n CPUs of cores to dst, core by core.
func takeCPUs(cores []Core, n int, dst []int) []int {
	for _, c := range cores {
		for _, id := range c.CPUs {
			if n == 0 {
				return dst
			}
			dst, n = append(dst, id), n-1
		}
	}
	return dst
}

// maxReserved is the largest count that keeps one CPU isolated and, with
// SMT on, is even.
func (h *host) maxReserved() int {
	most := h.all.Len() - 1
	return most - most%h.unit()
}

func (h *host) checkReservedCount(n int) error {
	most := h.maxReserved()
	switch {
	case most < h.unit():
		return fmt.Errorf("%w: the host has only %d%s CPUs, too few for %d reserved and one isolated", ErrTooManyReserved, h.all.Len(), h.usableNote(), h.unit())
	case n == 0:
		return fmt.Errorf("%w: a PerformanceProfile needs at least one reserved CPU; reserve from %d to %d", ErrNoReserved, h.unit(), most)
	case n > most:
		return fmt.Errorf("%w: %d reserved CPUs leave none of the host's %d%s isolated; reserve at most %d", ErrTooManyReserved, n, h.all.Len(), h.usableNote(), most)
	case n%h.unit() != 0:
		return fmt.Errorf("%w: %d reserved CPUs would put one thread of a core in reserved and its sibling in isolated; reserve %s, or disable hyper-threading",
			ErrOddReserved, n, h.evenChoices(n))
	}
	return nil
}

// evenChoices names the valid even counts next to the odd count n.
func (h *host) evenChoices(n int) string {
	var c []string
	if n-1 >= 2 {
		c = append(c, strconv.Itoa(n-1))
	}
	if n+1 <= h.maxReserved() {
		c = append(c, strconv.Itoa(n+1))
	}
	return strings.Join(c, " or ")
}

// checkSplitCount refuses a split that leaves a NUMA node without a whole
// reserved core: it would not be split at all (2 CPUs on a 2-node SMT host
// are one core on node 0). The Performance Profile Creator refuses it too,
// as an odd share per node ("can't allocate odd number of CPUs from a NUMA
// Node", profilecreator getCPUsSplitAcrossNUMA).
func (h *host) checkSplitCount(n int) error {
	least := len(h.nodes) * h.unit()
	if n <= 0 || n >= least {
		return nil
	}
	core := "one CPU"
	if h.unit() > 1 {
		core = fmt.Sprintf("one whole core (%d threads with hyper-threading on)", h.unit())
	}
	if least > h.maxReserved() {
		return fmt.Errorf("%w: %d reserved CPUs split across %d NUMA nodes leave NUMA node %d without any, and the host is too small for %s on every node; do not split them",
			ErrSplitTooFew, n, len(h.nodes), h.nodes[n/h.unit()].id, core)
	}
	return fmt.Errorf("%w: %d reserved CPUs split across %d NUMA nodes leave NUMA node %d without any; each node needs at least %s, so reserve at least %d (%d per node), or do not split them",
		ErrSplitTooFew, n, len(h.nodes), h.nodes[n/h.unit()].id, core, least, h.unit())
}

// reserveSplit shares n reserved CPUs out across the NUMA nodes. The shares
// are counted in units (whole cores with SMT on) and differ by at most one
// unit; the extra units go to the lowest-numbered nodes.
func (h *host) reserveSplit(n int) (CPUSet, error) {
	shares := h.splitShares(n)
	for i, g := range h.nodes {
		if shares[i] > g.cpus.Len() {
			return CPUSet{}, fmt.Errorf("%w: NUMA node %d would hold %d of the %d reserved CPUs but has %d; reserve at most %d, or do not split them",
				ErrSplitDoesNotFit, g.id, shares[i], n, g.cpus.Len(), h.maxSplit(n))
		}
	}
	var ids []int
	for i, g := range h.nodes {
		ids = takeCPUs(g.cores, shares[i], ids)
	}
	return NewCPUSet(ids...), nil
}

// splitShares returns how many CPUs each NUMA node (in h.nodes order)
// reserves when n are split.
func (h *host) splitShares(n int) []int {
	units, nodes := n/h.unit(), len(h.nodes)
	shares := make([]int, nodes)
	for i := range shares {
		shares[i] = units / nodes
		if i < units%nodes {
			shares[i]++
		}
		shares[i] *= h.unit()
	}
	return shares
}

// maxSplit is the largest count below n whose split fits every node.
func (h *host) maxSplit(n int) int {
	for m := n - h.unit(); m >= h.unit(); m -= h.unit() {
		fits := true
		for i, s := range h.splitShares(m) {
			fits = fits && s <= h.nodes[i].cpus.Len()
		}
		if fits {
			return m
		}
	}
	return 0
}

// reserveSet checks an explicit reserved set against the host.
func (h *host) reserveSet(set CPUSet) (CPUSet, error) {
	if off := set.Intersect(h.disabled); !off.IsEmpty() {
		first := h.firstOf[off.ids[0]]
		return CPUSet{}, fmt.Errorf("%w: %s are threads that disabling hyper-threading (nosmt) takes offline; reserve the first thread of a core instead, e.g. %d for %d",
			ErrReservedSetOutsideHost, off, first, off.ids[0])
	}
	if stray := set.Difference(h.all); !stray.IsEmpty() {
		return CPUSet{}, fmt.Errorf("%w: %s (its CPUs are %s)", ErrReservedSetOutsideHost, stray, h.all)
	}
	if most := h.all.Len() - 1; set.Len() > most {
		return CPUSet{}, fmt.Errorf("%w: reserved set %s leaves no CPU isolated; reserve at most %d of the host's %d%s",
			ErrTooManyReserved, set, most, h.all.Len(), h.usableNote())
	}
	return set, h.checkWholeCores(set)
}

// checkWholeCores rejects a set that holds some threads of a core but not
// all: the isolated threads would share a core with housekeeping work.
func (h *host) checkWholeCores(set CPUSet) error {
	var have, missing []int
	for _, c := range h.cores {
		in := NewCPUSet(c.CPUs...).Intersect(set)
		if !in.IsEmpty() && in.Len() < len(c.CPUs) {
			have = append(have, in.ids...)
			missing = append(missing, NewCPUSet(c.CPUs...).Difference(set).ids...)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%w: with hyper-threading on, %s lacks sibling(s) %s; add %s or remove %s",
		ErrReservedSetSplitsCore, set, NewCPUSet(missing...), NewCPUSet(missing...), NewCPUSet(have...))
}

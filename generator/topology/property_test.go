package topology

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// randomTopology builds a host of 1-3 sockets with 1-2 NUMA nodes each, nodes
// of different sizes, shuffled core ids, sometimes cores with different
// thread counts, and a random CPU numbering.
func randomTopology(rng *rand.Rand) Topology {
	threads := 1 + rng.IntN(2)
	var cores [][3]int // socket, core id, node
	var sizes []int
	for s := range 1 + rng.IntN(3) {
		perSocket := 1 + rng.IntN(2)
		n := 0
		for k := range perSocket {
			for range 1 + rng.IntN(6) {
				cores = append(cores, [3]int{s, n, s*perSocket + k})
				sizes = append(sizes, threads)
				if rng.IntN(10) == 0 {
					sizes[len(sizes)-1] = 1 + rng.IntN(2) // a hybrid host
				}
				n++
			}
		}
		ids := rng.Perm(n) // core ids need not follow CPU order
		for i := range n {
			cores[len(cores)-n+i][1] = ids[i] * 2
		}
	}
	return numberCPUs(rng, cores, sizes)
}

// numberCPUs gives every thread of every core a CPU id: a random permutation,
// or EC2's first-threads-then-second-threads order.
func numberCPUs(rng *rand.Rand, cores [][3]int, sizes []int) Topology {
	total := 0
	for _, n := range sizes {
		total += n
	}
	ids := rng.Perm(total)
	if rng.IntN(2) == 0 {
		slices.Sort(ids)
	}
	var cpus []CPU
	next := 0
	for thread := range 2 {
		for i, c := range cores {
			if thread < sizes[i] {
				cpus = append(cpus, CPU{ID: ids[next], Core: c[1], Socket: c[0], Node: c[2]})
				next++
			}
		}
	}
	return sortedTopology(cpus)
}

func randomRequest(rng *rand.Rand, t Topology) Request {
	n := len(t.CPUs)
	r := Request{
		Reserved:             rng.IntN(n+2) - 1,
		Offlined:             rng.IntN(n/2+2) - 1,
		SplitAcrossNUMA:      rng.IntN(2) == 0,
		DisableHT:            rng.IntN(3) == 0,
		HighPowerConsumption: rng.IntN(2) == 0,
	}
	if rng.IntN(4) == 0 {
		var ids []int
		for _, c := range t.Cores() {
			if rng.IntN(4) == 0 {
				ids = append(ids, c.CPUs...)
			}
		}
		if len(ids) > 0 && rng.IntN(4) == 0 {
			ids = ids[1:] // sometimes split a core
		}
		r.ReservedSet = NewCPUSet(ids...)
	}
	return r
}

var splitErrors = []error{ErrNegativeCount, ErrNoReserved, ErrTooManyReserved, ErrTooManyOfflined,
	ErrOddReserved, ErrSplitTooFew, ErrSplitDoesNotFit, ErrReservedSetOutsideHost, ErrReservedSetSplitsCore}

func TestSplitProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ok := 0
	for i := range 20000 {
		topo := randomTopology(rng)
		req := randomRequest(rng, topo)
		p, err := Split(topo, req)
		if err != nil {
			if !slices.ContainsFunc(splitErrors, func(e error) bool { return errors.Is(err, e) }) {
				t.Fatalf("case %d: error %v wraps no sentinel", i, err)
			}
			continue
		}
		ok++
		checkPartition(t, topo, req, p)
		if again, _ := Split(topo, req); !cmp.Equal(p, again) {
			t.Fatalf("case %d: a second Split differs:\n%s", i, cmp.Diff(p, again))
		}
	}
	t.Logf("%d of 20000 random requests succeeded", ok)
	if ok < 2000 {
		t.Errorf("only %d of 20000 random requests succeeded; the generator needs tuning", ok)
	}
}

func checkPartition(t *testing.T, topo Topology, req Request, p Partition) {
	t.Helper()
	sets := []CPUSet{p.Reserved, p.Isolated, p.Offlined, p.Disabled}
	union := CPUSet{}
	for i, a := range sets {
		for _, b := range sets[i+1:] {
			if !a.Intersect(b).IsEmpty() {
				t.Fatalf("sets overlap: %+v for %+v", p, req)
			}
		}
		union = union.Union(a)
	}
	want := req.Reserved
	if !req.ReservedSet.IsEmpty() {
		want = req.ReservedSet.Len()
	}
	switch {
	case !union.Equal(topo.All()):
		t.Fatalf("sets hold %s, host has %s", union, topo.All())
	case p.Reserved.Len() != want || p.Offlined.Len() != req.Offlined || p.Isolated.IsEmpty():
		t.Fatalf("got %d reserved, %d offlined, %d isolated for %+v", p.Reserved.Len(), p.Offlined.Len(), p.Isolated.Len(), req)
	case !req.DisableHT && !p.Disabled.IsEmpty():
		t.Fatalf("disabled %s without DisableHT", p.Disabled)
	}
	checkReservedCores(t, topo, req, p)
	checkSplitBalance(t, topo, req, p)
}

// checkSplitBalance: a split gives every node reserved CPUs, the
// lower-numbered nodes at least as many as the higher ones, and at most a
// core (two CPUs) more.
func checkSplitBalance(t *testing.T, topo Topology, req Request, p Partition) {
	t.Helper()
	if !req.SplitAcrossNUMA || !req.ReservedSet.IsEmpty() {
		return
	}
	counts := perNode(topo, p.Reserved)
	for i := 1; i < len(counts); i++ {
		if counts[i] == 0 || counts[i] > counts[i-1] || counts[0]-counts[i] > 2 {
			t.Fatalf("split %d as %v for %+v", req.Reserved, counts, req)
		}
	}
}

// checkReservedCores: on a host whose every core has two threads, a reserved
// set never splits a core unless hyper-threading is disabled.
func checkReservedCores(t *testing.T, topo Topology, req Request, p Partition) {
	t.Helper()
	if req.DisableHT || slices.ContainsFunc(topo.Cores(), func(c Core) bool { return len(c.CPUs) != 2 }) {
		return
	}
	for _, c := range topo.Cores() {
		if in := NewCPUSet(c.CPUs...).Intersect(p.Reserved).Len(); in == 1 {
			t.Fatalf("reserved %s splits core %v for %+v", p.Reserved, c, req)
		}
	}
}

func TestSplitDoesNotChangeItsInput(t *testing.T) {
	topo := ppcWorker1()
	before := Topology{CPUs: slices.Clone(topo.CPUs)}
	if _, err := Split(topo, Request{Reserved: 4, DisableHT: true, Offlined: 3}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, topo); diff != "" {
		t.Errorf("Split changed the topology (-before +after):\n%s", diff)
	}
}

// BenchmarkSplit512 partitions a 512-CPU host with 8 NUMA nodes.
func BenchmarkSplit512(b *testing.B) {
	topo := Uniform(8, 32, 2)
	req := Request{Reserved: 16, SplitAcrossNUMA: true, Offlined: 64}
	for b.Loop() {
		if _, err := Split(topo, req); err != nil {
			b.Fatal(err)
		}
	}
}

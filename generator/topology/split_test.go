package topology

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// c5metal is the catalog's c5.metal: NUMA node 0 = 0-23,48-71.
var c5metal = Uniform(2, 24, 2)

func sortedTopology(cpus []CPU) Topology {
	slices.SortFunc(cpus, func(a, b CPU) int { return a.ID - b.ID })
	return Topology{CPUs: cpus}
}

func assertSets(t *testing.T, p Partition, reserved, isolated, offlined string) {
	t.Helper()
	got := []string{p.Reserved.String(), p.Isolated.String(), p.Offlined.String()}
	want := []string{reserved, isolated, offlined}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reserved, isolated, offlined (-want +got):\n%s", diff)
	}
}

// perNode counts the CPUs of set on each NUMA node of t, nodes ascending.
func perNode(t Topology, set CPUSet) []int {
	var out []int
	for _, n := range t.Nodes() {
		out = append(out, t.NodeCPUs(n).Intersect(set).Len())
	}
	return out
}

func TestSplitReservesExactlyTheCountAcrossNUMANodes(t *testing.T) {
	// PPC over-allocates on 3+ nodes (asked 5 got 7, 10 got 11, 13 and 14
	// got 15 on four nodes) and rejects 2 and 6 on a 2-socket SMT host.
	cases := []struct {
		name  string
		host  Topology
		count int
		want  []int
	}{
		{"5 on four nodes without SMT are 2,1,1,1", Uniform(4, 8, 1), 5, []int{2, 1, 1, 1}},
		{"10 on four nodes without SMT are 3,3,2,2", Uniform(4, 8, 1), 10, []int{3, 3, 2, 2}},
		{"13 on four nodes without SMT are 4,3,3,3", Uniform(4, 8, 1), 13, []int{4, 3, 3, 3}},
		{"14 on four nodes without SMT are 4,4,3,3", Uniform(4, 8, 1), 14, []int{4, 4, 3, 3}},
		{"5 on three nodes without SMT are 2,2,1", Uniform(3, 4, 1), 5, []int{2, 2, 1}},
		{"6 on a 2-node SMT host are two cores on node 0 and one on node 1", c5metal, 6, []int{4, 2}},
		{"4 on a 2-node SMT host are one core on each node", c5metal, 4, []int{2, 2}},
		{"10 on four SMT nodes are two cores on node 0 and one on each other node", Uniform(4, 8, 2), 10, []int{4, 2, 2, 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Split(c.host, Request{Reserved: c.count, SplitAcrossNUMA: true})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, perNode(c.host, p.Reserved)); diff != "" {
				t.Errorf("reserved per NUMA node (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSplitOnEC2Numbering(t *testing.T) {
	cases := []struct {
		name                         string
		req                          Request
		reserved, isolated, offlined string
	}{
		{"4 reserved are the first two cores of node 0 with their siblings", Request{Reserved: 4}, "0-1,48-49", "2-47,50-95", ""},
		{"6 split are two cores on node 0 and one on node 1", Request{Reserved: 6, SplitAcrossNUMA: true}, "0-1,24,48-49,72", "2-23,25-47,50-71,73-95", ""},
		{"48 offlined with 4 reserved are socket 1", Request{Reserved: 4, Offlined: 48}, "0-1,48-49", "2-23,50-71", "24-47,72-95"},
		{"an explicit set wins over the count", Request{Reserved: 8, ReservedSet: NewCPUSet(2, 50)}, "2,50", "0-1,3-49,51-95", ""},
		{"disable-ht reserves first threads only", Request{Reserved: 3, DisableHT: true, Offlined: 2}, "0-2", "5-47", "3-4"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Split(c5metal, c.req)
			if err != nil {
				t.Fatal(err)
			}
			assertSets(t, p, c.reserved, c.isolated, c.offlined)
		})
	}
}

func TestSplitWithDisableHTPutsSecondSiblingsInNoSet(t *testing.T) {
	p, err := Split(c5metal, Request{Reserved: 4, DisableHT: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Disabled.String(); got != "48-95" {
		t.Errorf("disabled = %q, want 48-95", got)
	}
	if !p.Reserved.Union(p.Isolated).Union(p.Offlined).Intersect(p.Disabled).IsEmpty() {
		t.Errorf("a disabled sibling is in a set: %+v", p)
	}
}

// uneven is a host whose node 0 has 2 CPUs and node 1 has 10, SMT off.
func uneven() Topology {
	var cpus []CPU
	for id := range 12 {
		cpus = append(cpus, CPU{ID: id, Core: id, Socket: min(id/2, 1), Node: min(id/2, 1)})
	}
	return Topology{CPUs: cpus}
}

func TestSplitErrorsSayWhatWouldWork(t *testing.T) {
	cases := []struct {
		name string
		host Topology
		req  Request
		want error
		says []string
	}{
		{"an odd count with SMT keeps PPC's text and names the even neighbours", c5metal, Request{Reserved: 5}, ErrOddReserved,
			[]string{"can't allocate odd number of CPUs from a NUMA Node", "reserve 4 or 6, or disable hyper-threading"}},
		{"an odd count of 1 with SMT suggests 2", c5metal, Request{Reserved: 1}, ErrOddReserved, []string{"reserve 2, or disable"}},
		{"2 split on a 2-node SMT host are refused because node 1 would get none", c5metal, Request{Reserved: 2, SplitAcrossNUMA: true}, ErrSplitTooFew,
			[]string{"leave NUMA node 1 without any", "one whole core (2 threads", "reserve at least 4 (2 per node), or do not split them"}},
		{"an odd count split with SMT asks for a core per node", c5metal, Request{Reserved: 1, SplitAcrossNUMA: true}, ErrSplitTooFew, []string{"NUMA node 0", "reserve at least 4"}},
		{"3 split on four nodes without SMT ask for one CPU per node", Uniform(4, 8, 1), Request{Reserved: 3, SplitAcrossNUMA: true}, ErrSplitTooFew,
			[]string{"leave NUMA node 3 without any", "at least one CPU, so reserve at least 4 (1 per node)"}},
		{"a host with one core per node cannot split", Uniform(2, 1, 2), Request{Reserved: 2, SplitAcrossNUMA: true}, ErrSplitTooFew, []string{"too small", "do not split them"}},
		{"zero reserved is rejected because a profile needs reserved CPUs", c5metal, Request{}, ErrNoReserved, []string{"reserve from 2 to 94"}},
		{"reserving every CPU is rejected with the maximum", c5metal, Request{Reserved: 96}, ErrTooManyReserved, []string{"reserve at most 94"}},
		{"the maximum counts one CPU per core with disable-ht", c5metal, Request{Reserved: 48, DisableHT: true}, ErrTooManyReserved, []string{"reserve at most 47", "one per core"}},
		{"too many offlined names the most that fit", c5metal, Request{Reserved: 4, Offlined: 92}, ErrTooManyOfflined, []string{"offline at most 91"}},
		{"a negative offlined count is rejected", c5metal, Request{Reserved: 4, Offlined: -1}, ErrNegativeCount, []string{"offlined -1"}},
		{"a host too small to keep a core isolated is rejected", Uniform(1, 1, 2), Request{Reserved: 2}, ErrTooManyReserved, []string{"only 2 CPUs"}},
		{"a split share larger than its node names the largest that fits", uneven(), Request{Reserved: 8, SplitAcrossNUMA: true}, ErrSplitDoesNotFit,
			[]string{"NUMA node 0 would hold 4 of the 8 reserved CPUs but has 2", "reserve at most 4"}},
		{"a reserved set outside the host names the strays", c5metal, Request{ReservedSet: NewCPUSet(0, 48, 96, 97)}, ErrReservedSetOutsideHost, []string{"96-97", "0-95"}},
		{"a reserved set that splits a core names the missing sibling", c5metal, Request{ReservedSet: NewCPUSet(0, 1, 48)}, ErrReservedSetSplitsCore, []string{"lacks sibling(s) 49", "add 49 or remove 1"}},
		{"a reserved set with a sibling that disable-ht removes names the core's first thread", c5metal, Request{ReservedSet: NewCPUSet(0, 48), DisableHT: true}, ErrReservedSetOutsideHost, []string{"nosmt", "e.g. 0 for 48"}},
		{"a reserved set of every CPU is rejected", Uniform(1, 2, 1), Request{ReservedSet: NewCPUSet(0, 1)}, ErrTooManyReserved, []string{"reserve at most 1"}},
		{"an invalid topology is rejected", Topology{}, Request{Reserved: 2}, ErrInvalidTopology, []string{"no CPUs"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Split(c.host, c.req)
			if !errors.Is(err, c.want) {
				t.Fatalf("got error %v, want %v", err, c.want)
			}
			for _, s := range c.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
		})
	}
}

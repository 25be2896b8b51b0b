package tuning

import (
	"strings"
	"testing"

	"github.com/lowlat/lowlat/generator/topology"
)

// The offlined CPUs' comment names the rules of the Performance Profile
// Creator that chose them, in its order.
func TestOfflinedRuleNamesWhatChoseTheCPUs(t *testing.T) {
	smt := topology.Uniform(2, 4, 2) // 16 CPUs: socket 0 is 0-3,8-11
	noSMT := topology.Uniform(2, 4, 1)
	cases := []struct {
		name string
		topo topology.Topology
		req  topology.Request
		want string
	}{
		{"second threads", smt, topology.Request{Reserved: 2, Offlined: 2}, "the second threads of 2 cores, by socket and core id"},
		{"a whole socket first", smt, topology.Request{Reserved: 2, Offlined: 10},
			"socket 1, which holds no reserved CPU, first; then the second threads of 2 cores, by socket and core id"},
		{"high power keeps sockets", smt, topology.Request{Reserved: 2, Offlined: 8, HighPowerConsumption: true},
			"the second threads of 7 cores, by socket and core id; then 1 more that are not reserved"},
		{"one thread per core", noSMT, topology.Request{Reserved: 1, Offlined: 2, HighPowerConsumption: true}, "CPUs that are not reserved, by socket and core id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			part, err := topology.Split(tc.topo, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			got := offlinedRule(tc.topo, part)
			if want := tc.want + ", as the Performance Profile Creator offlines"; got != want {
				t.Errorf("offlined %s:\n got %q\nwant %q", part.Offlined, got, want)
			}
		})
	}
}

// Shape counts a host's sockets, cores, threads, NUMA nodes and CPUs.
func TestShape(t *testing.T) {
	if got, want := Shape(topology.Uniform(2, 18, 2)), "2 sockets × 18 cores × 2 threads, 2 NUMA nodes, 72 CPUs"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := Shape(topology.Uniform(1, 1, 1)); !strings.HasPrefix(got, "1 socket × 1 core × 1 thread, 1 NUMA node, 1 CPU") {
		t.Errorf("got %q", got)
	}
}

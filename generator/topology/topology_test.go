package topology

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUniformNumbersCPUsLikeEC2IntelMetal(t *testing.T) {
	got := map[string]string{
		"all":          c5metal.All().String(),
		"node 0":       c5metal.NodeCPUs(0).String(),
		"node 1":       c5metal.NodeCPUs(1).String(),
		"siblings 0":   c5metal.Siblings(0).String(),
		"siblings 71":  c5metal.Siblings(71).String(),
		"siblings 999": c5metal.Siblings(999).String(),
	}
	want := map[string]string{
		"all": "0-95", "node 0": "0-23,48-71", "node 1": "24-47,72-95",
		"siblings 0": "0,48", "siblings 71": "23,71", "siblings 999": "",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("c5.metal (-want +got):\n%s", diff)
	}
	if err := c5metal.Validate(); err != nil {
		t.Error(err)
	}
}

func TestUniformRejectsImpossibleShapes(t *testing.T) {
	for _, shape := range [][3]int{{0, 1, 1}, {1, -1, 1}, {1, 1, 0}, {2, 4096, 2}, {1 << 40, 1 << 40, 1 << 40}} {
		if topo := Uniform(shape[0], shape[1], shape[2]); len(topo.CPUs) != 0 {
			t.Errorf("Uniform%v has %d CPUs, want none", shape, len(topo.CPUs))
		}
	}
	if got := len(Uniform(2, 2048, 2).CPUs); got != MaxCPUs {
		t.Errorf("Uniform(2, 2048, 2) has %d CPUs, want %d", got, MaxCPUs)
	}
}

func TestTopologyHelpers(t *testing.T) {
	w1 := ppcWorker1()
	got := map[string]any{
		"nodes":            w1.Nodes(),
		"sockets":          w1.Sockets(),
		"smt":              w1.SMT(),
		"threads":          w1.ThreadsPerCore(),
		"cores":            len(w1.Cores()),
		"first cores":      w1.Cores()[:3],
		"node 0 cores":     w1.NodeCores(0)[:3],
		"smt without ht":   Uniform(1, 4, 1).SMT(),
		"siblings of 4":    w1.Siblings(4).String(),
		"node cores count": len(w1.NodeCores(1)),
	}
	want := map[string]any{
		"nodes":   []int{0, 1},
		"sockets": []int{0, 1},
		"smt":     true,
		"threads": 2,
		"cores":   40,
		// By socket, then core id: CPU 4 is core 1, CPU 8 core 2.
		"first cores": []Core{{Socket: 0, ID: 0, Node: 0, CPUs: []int{0, 40}}, {Socket: 0, ID: 1, Node: 0, CPUs: []int{4, 44}}, {Socket: 0, ID: 2, Node: 0, CPUs: []int{8, 48}}},
		// By lowest CPU: CPU 2 (core 4) comes second.
		"node 0 cores":     []Core{{Socket: 0, ID: 0, Node: 0, CPUs: []int{0, 40}}, {Socket: 0, ID: 4, Node: 0, CPUs: []int{2, 42}}, {Socket: 0, ID: 1, Node: 0, CPUs: []int{4, 44}}},
		"smt without ht":   false,
		"siblings of 4":    "4,44",
		"node cores count": 20,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("helpers (-want +got):\n%s", diff)
	}
}

func TestValidateRejectsBrokenTopologies(t *testing.T) {
	cases := []struct {
		name string
		cpus []CPU
		says string
	}{
		{"a topology without CPUs is rejected", nil, "no CPUs"},
		{"unsorted CPUs are rejected", []CPU{{ID: 1}, {ID: 0}}, "CPU 0 follows CPU 1"},
		{"a repeated CPU is rejected", []CPU{{ID: 0}, {ID: 0}}, "CPU 0 follows CPU 0"},
		{"a negative CPU id is rejected", []CPU{{ID: -1}}, "outside 0-8191"},
		{"a CPU id beyond the kernel's limit is rejected", []CPU{{ID: MaxCPUs}}, "outside 0-8191"},
		{"a negative node is rejected", []CPU{{ID: 0, Node: -1}}, "negative"},
		{"a core on two NUMA nodes is rejected", []CPU{{ID: 0, Core: 3}, {ID: 1, Core: 3, Node: 1}}, "core 3 of socket 0 is on NUMA nodes 0 and 1"},
		{"more CPUs than Linux supports are rejected", make([]CPU, MaxCPUs+1), "more than the 8192"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Topology{CPUs: c.cpus}.Validate()
			if !errors.Is(err, ErrInvalidTopology) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("got %v, want ErrInvalidTopology saying %q", err, c.says)
			}
		})
	}
}

func TestValidateAcceptsCoreIDsRepeatedAcrossSockets(t *testing.T) {
	// sysfs core_id restarts on every socket.
	if err := ppcWorker1().Validate(); err != nil {
		t.Error(err)
	}
}

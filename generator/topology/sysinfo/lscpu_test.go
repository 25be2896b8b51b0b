package sysinfo

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/topology"
)

func TestWriteLscpuReadsBackAsAHostThatPartitionsTheSame(t *testing.T) {
	s := Snapshot{Source: "worker-0/sysinfo.tgz", Node: "worker-0", Topology: smallXeonTopology()}
	var buf bytes.Buffer
	if err := WriteLscpu(&buf, s); err != nil {
		t.Fatal(err)
	}
	back, err := topology.ParseLscpu(&buf)
	if err != nil {
		t.Fatal(err)
	}
	requests := []topology.Request{
		{Reserved: 2}, {Reserved: 2, Offlined: 1}, {Reserved: 2, Offlined: 3},
		{Reserved: 1, Offlined: 2, DisableHT: true}, {Reserved: 4, Offlined: 2, SplitAcrossNUMA: true},
		{Reserved: 2, Offlined: 4, HighPowerConsumption: true},
	}
	for _, r := range requests {
		want, err1 := topology.Split(s.Topology, r)
		got, err2 := topology.Split(back, r)
		if err1 != nil || err2 != nil {
			t.Fatalf("%+v: errors %v, %v", r, err1, err2)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(topology.CPUSet{})); diff != "" {
			t.Errorf("%+v: partition read back (-want +got):\n%s", r, diff)
		}
	}
}

func TestWriteLscpuSaysWhereTheHostComesFromAndWhatIsLost(t *testing.T) {
	s := Snapshot{Source: "mg/nodes/worker-0/sysinfo.tgz", Node: "worker-0", Topology: smallXeonTopology(), Offline: topology.NewCPUSet(8, 9)}
	var buf bytes.Buffer
	if err := WriteLscpu(&buf, s); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# Host worker-0, imported by lowlat from the sysfs snapshot\n#   mg/nodes/worker-0/sysinfo.tgz\n",
		"the core_id values are not kept.\n",
		"# CPUs 8-9 were offline in the snapshot and are not listed.\n",
		"# CPU,Core,Socket,Node\n0,1,0,0\n1,3,1,1\n2,0,0,0\n",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, buf.String())
		}
	}
}

func ExampleHostWideCores() {
	// Two sockets whose sysfs core ids both start at 0; on socket 0 they are
	// not in CPU order (CPU 1 is core 7, CPU 2 core 3).
	host := topology.Topology{CPUs: []topology.CPU{
		{ID: 0, Core: 0, Socket: 0}, {ID: 1, Core: 7, Socket: 0}, {ID: 2, Core: 3, Socket: 0},
		{ID: 3, Core: 0, Socket: 1, Node: 1}, {ID: 4, Core: 1, Socket: 1, Node: 1},
	}}
	for _, c := range HostWideCores(host).CPUs {
		fmt.Printf("CPU %d: core %d, socket %d\n", c.ID, c.Core, c.Socket)
	}
	// Output:
	// CPU 0: core 0, socket 0
	// CPU 1: core 2, socket 0
	// CPU 2: core 1, socket 0
	// CPU 3: core 3, socket 1
	// CPU 4: core 4, socket 1
}

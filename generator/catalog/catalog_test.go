package catalog

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/topology"
)

func TestEveryRowIsSelfConsistent(t *testing.T) {
	if len(All()) != 21 {
		t.Errorf("catalog has %d types, want the 21 of facts/ec2-metal.md", len(All()))
	}
	for _, it := range All() {
		t.Run(it.Name, func(t *testing.T) {
			topo := it.Topology()
			if err := topo.Validate(); err != nil {
				t.Fatal(err)
			}
			switch {
			case it.VCPUs != it.Cores*it.ThreadsPerCore:
				t.Errorf("%d vCPUs != %d cores × %d threads", it.VCPUs, it.Cores, it.ThreadsPerCore)
			case it.Cores%it.Sockets != 0:
				t.Errorf("%d cores do not divide over %d sockets", it.Cores, it.Sockets)
			case len(topo.CPUs) != it.VCPUs || len(topo.Nodes()) != it.NUMANodes() || len(topo.Cores()) != it.Cores:
				t.Errorf("topology has %d CPUs, %d nodes, %d cores", len(topo.CPUs), len(topo.Nodes()), len(topo.Cores()))
			case topo.SMT() != (it.ThreadsPerCore > 1):
				t.Errorf("topology SMT %v with %d threads per core", topo.SMT(), it.ThreadsPerCore)
			}
		})
	}
}

func TestC5MetalIsTheAssumedEC2Numbering(t *testing.T) {
	it, err := Lookup("c5.metal")
	if err != nil {
		t.Fatal(err)
	}
	topo := it.Topology()
	got := []string{topo.NodeCPUs(0).String(), topo.NodeCPUs(1).String(), topo.Siblings(5).String()}
	want := []string{"0-23,48-71", "24-47,72-95", "5,53"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("c5.metal node 0, node 1, siblings of 5 (-want +got):\n%s", diff)
	}
	if it.MemoryPerNUMAMiB() != 96*1024 || it.CoresPerSocket() != 24 {
		t.Errorf("c5.metal: %d MiB per node, %d cores per socket", it.MemoryPerNUMAMiB(), it.CoresPerSocket())
	}
}

func TestC5MetalFixtureIsWhatTheCatalogAssumes(t *testing.T) {
	f, err := os.Open("../../fixtures/topologies/c5.metal.lscpu")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	captured, err := topology.ParseLscpu(f)
	if err != nil {
		t.Fatal(err)
	}
	it, _ := Lookup("c5.metal")
	if diff := cmp.Diff(it.Topology(), captured); diff != "" {
		t.Errorf("fixture differs from the catalog (-catalog +fixture):\n%s", diff)
	}
}

func TestLookupSplitsSharedRows(t *testing.T) {
	// facts/ec2-metal.md lists "c6in.metal / m6in.metal" on one row.
	c6in, err1 := Lookup("c6in.metal")
	m6in, err2 := Lookup("m6in.metal")
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	got := []any{c6in.MemoryGiB, m6in.MemoryGiB, c6in.NetworkGbps, c6in.NetworkCards, c6in.MaxENIs, c6in.EFA}
	if diff := cmp.Diff([]any{256, 512, 200.0, 2, 16, true}, got); diff != "" {
		t.Errorf("c6in/m6in (-want +got):\n%s", diff)
	}
	c7i, _ := Lookup("c7i.metal-24xl")
	if c7i.NetworkGbps != 37.5 || c7i.Sockets != 1 || c7i.EFA {
		t.Errorf("c7i.metal-24xl = %+v", c7i)
	}
}

func TestLookupOfAnUnknownTypeListsTheKnownOnes(t *testing.T) {
	_, err := Lookup("c5.large")
	if !errors.Is(err, ErrUnknownInstanceType) {
		t.Fatalf("got %v, want ErrUnknownInstanceType", err)
	}
	want := `unknown instance type "c5.large"; known types: c5.metal, c5d.metal, c5n.metal, c6a.metal,`
	if !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "z1d.metal") {
		t.Errorf("error = %q", err)
	}
}

func TestNamesAreSorted(t *testing.T) {
	if names := Names(); !slices.IsSorted(names) || len(names) != len(All()) {
		t.Errorf("names = %v", names)
	}
}

func TestParseTableRejectsBadRows(t *testing.T) {
	const header = "name,vcpus,cores,threadsPerCore,sockets,memoryGiB,networkGbps,networkCards,maxENIs,efa,nvmeDisks,nvmeDiskGB,enaExpress\n"
	cases := []struct {
		name, table, says string
	}{
		{"a renamed column is rejected", strings.Replace(header, "efa", "EFA", 1), "header"},
		{"vCPUs that are not cores times threads are rejected", header + "x.metal,95,48,2,2,192,25,1,15,false,0,0,false\n", "line 2: x.metal: 95 vCPUs is not 48 cores × 2 threads"},
		{"cores that do not divide over sockets are rejected", header + "x.metal,98,49,2,2,192,25,1,15,false,0,0,false\n", "49 cores do not divide over 2 sockets"},
		{"a zero count is rejected", header + "x.metal,0,0,2,2,192,25,1,15,false,0,0,false\n", `vcpus "0" is not a positive whole number`},
		{"a bad bandwidth is rejected", header + "x.metal,96,48,2,2,192,fast,1,15,false,0,0,false\n", `networkGbps "fast"`},
		{"a bad EFA flag is rejected", header + "x.metal,96,48,2,2,192,25,1,15,maybe,0,0,false\n", `efa "maybe"`},
		{"a missing column is rejected", header + "x.metal,96,48,2,2,192,25,1,15,false,0,0\n", "wrong number of fields"},
		{"a bad ENA Express flag is rejected", header + "x.metal,96,48,2,2,192,25,1,15,false,0,0,yes\n", `enaExpress "yes"`},
		{"disks without a size are rejected", header + "x.metal,96,48,2,2,192,25,1,15,false,4,0,false\n", `nvmeDisks "4" and nvmeDiskGB "0"`},
		{"a negative disk count is rejected", header + "x.metal,96,48,2,2,192,25,1,15,false,-1,900,false\n", `nvmeDisks "-1"`},
		{"a repeated type is rejected", header + "x.metal,96,48,2,2,192,25,1,15,false,0,0,false\nx.metal,96,48,2,2,192,25,1,15,false,0,0,false\n", "x.metal is listed twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseTable(c.table)
			if err == nil || !strings.Contains(err.Error(), c.says) {
				t.Errorf("got %v, want an error saying %q", err, c.says)
			}
		})
	}
}

func TestTheZeroInstanceTypeIsSafe(t *testing.T) {
	var it InstanceType
	if it.CoresPerSocket() != 0 || it.MemoryPerNUMAMiB() != 0 || len(it.Topology().CPUs) != 0 {
		t.Errorf("zero InstanceType: %d cores per socket, %d MiB per node, %d CPUs", it.CoresPerSocket(), it.MemoryPerNUMAMiB(), len(it.Topology().CPUs))
	}
}

func TestRolloutTimeCountsRoundsOfMaxUnavailable(t *testing.T) {
	per := NodeRollout.Drain + NodeRollout.Reboot
	for _, c := range []struct {
		nodes, batch int
		rounds       int
	}{{3, 1, 3}, {3, 2, 2}, {4, 2, 2}, {1, 5, 1}, {2, 0, 2}} {
		if got, want := RolloutTime(c.nodes, c.batch), NodeRollout.Render+time.Duration(c.rounds)*per; got != want {
			t.Errorf("RolloutTime(%d, %d) = %s, want %s (%d rounds)", c.nodes, c.batch, got, want, c.rounds)
		}
	}
}

func TestInstanceStoreAndENAExpress(t *testing.T) {
	// The EC2 instance-type pages: i3.metal has 8 × 1900 GB NVMe, c5.metal
	// is EBS only; ENA Express came with the sixth generation.
	cases := []struct {
		name       string
		disks, gb  int
		localNVMe  bool
		enaExpress bool
	}{
		{"c5.metal", 0, 0, false, false},
		{"i3.metal", 8, 1900, true, false},
		{"i3en.metal", 8, 7500, true, false},
		{"c6i.metal", 0, 0, false, true},
	}
	for _, c := range cases {
		it, err := Lookup(c.name)
		if err != nil {
			t.Fatal(err)
		}
		got := []any{it.NVMeDisks, it.NVMeDiskGB, it.LocalNVMe(), it.ENAExpress}
		if diff := cmp.Diff([]any{c.disks, c.gb, c.localNVMe, c.enaExpress}, got); diff != "" {
			t.Errorf("%s: disks, GB, local NVMe, ENA Express (-want +got):\n%s", c.name, diff)
		}
	}
}

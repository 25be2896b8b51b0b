package topology

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const fixtures = "../../fixtures/topologies"

func parseLscpuString(t *testing.T, s string) Topology {
	t.Helper()
	topo, err := ParseLscpu(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return topo
}

func TestParseLscpuReadsColumns(t *testing.T) {
	want := Topology{CPUs: []CPU{{ID: 0, Core: 0, Socket: 0, Node: 0}, {ID: 1, Core: 1, Socket: 1, Node: 1}, {ID: 2, Core: 0, Socket: 0, Node: 0}}}
	cases := []struct {
		name, in string
	}{
		{"rows without a header use CPU,Core,Socket,Node", "0,0,0,0\n1,1,1,1\n2,0,0,0\n"},
		{"lscpu's comment header is honoured", "# The following is the parsable format\n# CPU,Core,Socket,Node\n0,0,0,0\n1,1,1,1\n2,0,0,0\n"},
		{"a reordered header reorders the columns", "# Node,Socket,CPU,Core\n0,0,0,0\n1,1,1,1\n0,0,2,0\n"},
		{"a plain header line is accepted", "CPU,CORE,SOCKET,NODE\n0,0,0,0\n1,1,1,1\n2,0,0,0\n"},
		{"extra columns of lscpu -p are ignored", "# CPU,Core,Socket,Node,,L1d,L1i,L2,L3\n0,0,0,0,,0,0,0,0\n1,1,1,1,,1,1,1,1\n2,0,0,0,,0,0,0,0\n"},
		{"rows in any order are sorted, blank lines and spaces skipped", "2, 0, 0, 0\n\n 1,1,1,1 \n0,0,0,0\r\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(want, parseLscpuString(t, c.in)); diff != "" {
				t.Errorf("topology (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseLscpuReadsAnEmptyNodeAsNodeZero(t *testing.T) {
	// lscpu leaves Node empty on kernels built without NUMA.
	topo := parseLscpuString(t, "0,0,0,\n1,0,0,\n")
	if diff := cmp.Diff([]int{0}, topo.Nodes()); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
}

func TestParseLscpuErrorsCarryTheLine(t *testing.T) {
	cases := []struct {
		name string
		in   string
		line int
		says string
	}{
		{"empty input has no CPU rows", "", 0, "no CPU rows; capture it with lscpu -p=CPU,CORE,SOCKET,NODE"},
		{"comments alone have no CPU rows", "# CPU,Core,Socket,Node\n", 0, "no CPU rows"},
		{"a short row is rejected", "# CPU,Core,Socket,Node\n0,0,0\n", 2, "3 columns, want at least 4"},
		{"a non-number is rejected", "0,0,0,0\n1,x,0,0\n", 2, `Core "x" is not a number`},
		{"a negative number is rejected", "0,0,-1,0\n", 1, `Socket "-1" is not a number`},
		{"an empty CPU is rejected", ",0,0,0\n", 1, `CPU "" is not a number`},
		{"a repeated CPU is rejected", "0,0,0,0\n1,1,0,0\n0,0,0,0\n", 3, "CPU 0 is already listed on line 1"},
		{"a core on two sockets is rejected", "0,0,0,0\n1,0,1,0\n", 2, "core 0 is on socket 1 here but on socket 0 on line 1"},
		{"a core on two NUMA nodes is rejected", "0,0,0,0\n1,0,0,1\n", 2, "core 0 is on NUMA node 1 here but on node 0 on line 1"},
		{"a CPU id beyond the kernel's limit is rejected", "8192,0,0,0\n", 1, "a host has at most 8192 CPUs"},
		{"a huge core id is rejected", "0,99999999999999999999,0,0\n", 1, "Core 99999999999999999999 is too large"},
		{"a header without a Node column is rejected", "# CPU,Core,Socket\n", 1, "has no NODE column"},
		{"a header after rows is rejected", "0,0,0,0\n# CPU,Core,Socket,Node\n", 2, "column header after CPU rows"},
		{"a line too long to be lscpu output is rejected", strings.Repeat("1", 70000), 1, "too long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseLscpu(strings.NewReader(c.in))
			var le *LscpuError
			if !errors.As(err, &le) {
				t.Fatalf("error %v is not an *LscpuError", err)
			}
			if le.Line != c.line || !strings.Contains(le.Msg, c.says) {
				t.Errorf("got line %d %q, want line %d saying %q", le.Line, le.Msg, c.line, c.says)
			}
		})
	}
}

func TestParseLscpuRejectsMoreThanMaxCPUs(t *testing.T) {
	var b strings.Builder
	for id := range MaxCPUs + 1 {
		fmt.Fprintf(&b, "%d,%d,0,0\n", id, id)
	}
	_, err := ParseLscpu(strings.NewReader(b.String()))
	var le *LscpuError
	if !errors.As(err, &le) || le.Line != MaxCPUs+1 {
		t.Fatalf("got %v, want an error on line %d", err, MaxCPUs+1)
	}
}

func TestWriteLscpuRoundTrips(t *testing.T) {
	for _, topo := range []Topology{c5metal, Uniform(1, 3, 4), Uniform(8, 32, 2)} {
		var buf bytes.Buffer
		if err := WriteLscpu(&buf, topo); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(topo, parseLscpuString(t, buf.String())); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
}

func TestFixturesParse(t *testing.T) {
	cases := []struct {
		file, node0 string
		cpus        int
	}{
		{"c5.metal.lscpu", "0-23,48-71", 96},
		{"xeon-interleaved.lscpu", "0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,38,40,42,44,46,48,50,52,54,56,58,60,62,64,66,68,70,72,74,76,78", 80},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(fixtures, c.file))
			if err != nil {
				t.Fatal(err)
			}
			topo := parseLscpuString(t, string(data))
			if len(topo.CPUs) != c.cpus || topo.NodeCPUs(0).String() != c.node0 || !topo.SMT() {
				t.Errorf("%s: %d CPUs, node 0 = %s, SMT %v", c.file, len(topo.CPUs), topo.NodeCPUs(0), topo.SMT())
			}
		})
	}
}

func TestInterleavedFixtureReservesLikePPCsMustGatherWorker(t *testing.T) {
	// Reserving depends only on CPU order, which lscpu keeps, so the capture
	// gives PPC's must-gather answer (profile1) without its sysfs core ids.
	data, err := os.ReadFile(filepath.Join(fixtures, "xeon-interleaved.lscpu"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Split(parseLscpuString(t, string(data)), Request{Reserved: 4})
	if err != nil {
		t.Fatal(err)
	}
	assertSets(t, p, "0,2,40,42", "1,3-39,41,43-79", "")
}

func FuzzParseLscpu(f *testing.F) {
	f.Add("# CPU,Core,Socket,Node\n0,0,0,0\n1,0,0,0\n")
	f.Add("# Node,Socket,CPU,Core\n0,0,0,0\n1,1,1,1\n")
	f.Add("CPU,CORE,SOCKET,NODE\n0,0,0,\n")
	f.Add("0,0,0,0\n0,0,0,0\n")
	f.Add("0,0,0,0\n1,0,1,0\n")
	f.Fuzz(func(t *testing.T, s string) {
		topo, err := ParseLscpu(strings.NewReader(s))
		if err != nil {
			return
		}
		if err := topo.Validate(); err != nil {
			t.Fatalf("parsed topology is invalid: %v\ninput:\n%s", err, s)
		}
		var buf bytes.Buffer
		if err := WriteLscpu(&buf, topo); err != nil {
			t.Fatal(err)
		}
		again, err := ParseLscpu(&buf)
		if err != nil || !cmp.Equal(topo, again) {
			t.Fatalf("WriteLscpu output does not read back: %v", err)
		}
	})
}

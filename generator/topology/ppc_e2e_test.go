package topology_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/topology"
	"github.com/lowlat/lowlat/generator/topology/sysinfo"
)

var update = flag.Bool("update", false, "rewrite the fixture topology imported from PPC's must-gather")

// ppcArgs are the arguments of one case of PPC's e2e suite
// (ppc-expected-profiles/profileN.json). Decoding is strict: an argument
// PPC adds fails the test until it is listed here.
type ppcArgs struct {
	MustGather string `json:"must-gather-dir-path"`
	MCP        string `json:"mcp-name"`
	Reserved   int    `json:"reserved-cpu-count"`
	Offlined   int    `json:"offlined-cpu-count"`
	DisableHT  bool   `json:"disable-ht"`
	Split      bool   `json:"split-reserved-cpus-across-numa"`
	PowerMode  string `json:"power-consumption-mode"`
	// Not about CPUs: they shape other parts of the profile.
	RTKernel              bool `json:"rt-kernel"`
	UserLevelNetworking   bool `json:"user-level-networking"`
	PerPodPowerManagement bool `json:"per-pod-power-management"`
}

// request maps PPC's flags onto a Request; only ultra-low-latency (high
// power consumption) changes CPUs, as it keeps sockets from going offline.
func (a ppcArgs) request(t *testing.T) topology.Request {
	if !slices.Contains([]string{"default", "low-latency", "ultra-low-latency"}, a.PowerMode) {
		t.Fatalf("unknown power-consumption-mode %q", a.PowerMode)
	}
	return topology.Request{
		Reserved: a.Reserved, Offlined: a.Offlined, DisableHT: a.DisableHT, SplitAcrossNUMA: a.Split,
		HighPowerConsumption: a.PowerMode == "ultra-low-latency",
	}
}

// ppcProfile is the part of an expected profile (profileN.yaml) that a
// topology decides.
type ppcProfile struct {
	Spec struct {
		AdditionalKernelArgs []string `json:"additionalKernelArgs"`
		CPU                  struct {
			Reserved, Isolated, Offlined string
		} `json:"cpu"`
		WorkloadHints struct {
			HighPowerConsumption bool `json:"highPowerConsumption"`
		} `json:"workloadHints"`
	} `json:"spec"`
}

// ppcE2ENames are the cases of the pinned version's suite, so that a case
// that disappears is noticed.
var ppcE2ENames = []string{
	"profile1", "profile1a", "profile1b", "profile1c", "profile2", "profile2a", "profile2b",
	"profile3", "profile3a", "profile3b", "profile3c", "profile4", "profile4a", "profile4b", "profile4c",
	"profile5", "profile5a", "profile5b", "profile6",
}

type ppcCase struct {
	name string
	args ppcArgs
	want ppcProfile
}

func ppcE2ECases(t *testing.T, testdata string) []ppcCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testdata, "ppc-expected-profiles", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in %s: %v", testdata, err)
	}
	var cases []ppcCase
	for _, f := range files {
		c := ppcCase{name: strings.TrimSuffix(filepath.Base(f), ".json")}
		dec := json.NewDecoder(bytes.NewReader(readFile(t, f)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c.args); err != nil {
			t.Fatalf("%s: %v (a new PPC argument? add it to ppcArgs)", f, err)
		}
		if err := yaml.Unmarshal(readFile(t, strings.TrimSuffix(f, ".json")+".yaml"), &c.want); err != nil {
			t.Fatalf("%s.yaml: %v", c.name, err)
		}
		cases = append(cases, c)
	}
	return cases
}

// hosts reads each must-gather node once.
type hosts struct {
	t        *testing.T
	testdata string
	read     map[string]sysinfo.Snapshot
}

// pool returns the snapshot of a pool's nodes, which PPC requires to be
// identical (EnsureNodesHaveTheSameHardware).
func (h *hosts) pool(mustGather, pool string) sysinfo.Snapshot {
	h.t.Helper()
	dir := filepath.Join(h.testdata, "must-gather", mustGather)
	nodes := poolNodes(h.t, dir, pool)
	if len(nodes) == 0 {
		h.t.Fatalf("%s: pool %s has no nodes", mustGather, pool)
	}
	var first sysinfo.Snapshot
	for i, n := range nodes {
		s := h.node(dir, n)
		if i == 0 {
			first = s
		} else if !cmp.Equal(first.Topology, s.Topology, cmp.AllowUnexported(topology.CPUSet{})) {
			h.t.Fatalf("%s: nodes %s and %s of pool %s differ", mustGather, nodes[0], n, pool)
		}
	}
	return first
}

func (h *hosts) node(dir, node string) sysinfo.Snapshot {
	h.t.Helper()
	key := dir + "\x00" + node
	if s, ok := h.read[key]; ok {
		return s
	}
	s, err := sysinfo.Read(dir, sysinfo.Options{Node: node})
	if err != nil {
		h.t.Fatal(err)
	}
	h.read[key] = s
	return s
}

// TestSplitReproducesThePerformanceProfileCreatorsE2ESuite runs every case
// of PPC's e2e suite on the host PPC reads for it, and again on that host
// exported with --to-lscpu and read back.
func TestSplitReproducesThePerformanceProfileCreatorsE2ESuite(t *testing.T) {
	testdata := ppcTestdataDir(t)
	h := &hosts{t: t, testdata: testdata, read: map[string]sysinfo.Snapshot{}}
	cases := ppcE2ECases(t, testdata)
	var names []string
	for _, c := range cases {
		names = append(names, c.name)
	}
	if diff := cmp.Diff(ppcE2ENames, names); diff != "" {
		t.Errorf("PPC's suite has other cases than it had (-had +has):\n%s", diff)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			snap := h.pool(c.args.MustGather, c.args.MCP)
			req := c.args.request(t)
			if req.HighPowerConsumption != c.want.Spec.WorkloadHints.HighPowerConsumption {
				t.Errorf("power-consumption-mode %s, but PPC wrote highPowerConsumption %v", c.args.PowerMode, c.want.Spec.WorkloadHints.HighPowerConsumption)
			}
			checkPartition(t, c, snap.Topology, req, "sysfs snapshot")
			checkPartition(t, c, lscpuRoundTrip(t, snap), req, "snapshot written with --to-lscpu and read back")
		})
	}
}

func checkPartition(t *testing.T, c ppcCase, host topology.Topology, req topology.Request, input string) {
	t.Helper()
	p, err := topology.Split(host, req)
	if err != nil {
		t.Fatalf("%s: %v", input, err)
	}
	for _, f := range []struct {
		field string
		want  string
		got   topology.CPUSet
	}{
		{"reserved", c.want.Spec.CPU.Reserved, p.Reserved},
		{"isolated", c.want.Spec.CPU.Isolated, p.Isolated},
		{"offlined", c.want.Spec.CPU.Offlined, p.Offlined},
	} {
		want, err := topology.ParseCPUSet(f.want)
		if err != nil {
			t.Fatalf("%s.yaml: spec.cpu.%s: %v", c.name, f.field, err)
		}
		if !want.Equal(f.got) {
			t.Errorf("%s, %s, %s: PPC %s, lowlat %s", c.name, input, f.field, orNone(want), orNone(f.got))
		}
	}
	if nosmt := slices.Contains(c.want.Spec.AdditionalKernelArgs, "nosmt"); nosmt != !p.Disabled.IsEmpty() {
		t.Errorf("%s, %s: PPC adds nosmt: %v; lowlat disables %s", c.name, input, nosmt, orNone(p.Disabled))
	}
}

func orNone(s topology.CPUSet) string {
	if s.IsEmpty() {
		return `""`
	}
	return s.String()
}

func lscpuRoundTrip(t *testing.T, s sysinfo.Snapshot) topology.Topology {
	t.Helper()
	var buf bytes.Buffer
	if err := sysinfo.WriteLscpu(&buf, s); err != nil {
		t.Fatal(err)
	}
	back, err := topology.ParseLscpu(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

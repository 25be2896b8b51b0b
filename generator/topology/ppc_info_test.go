package topology_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/topology"
	"github.com/lowlat/lowlat/generator/topology/sysinfo"
)

// ppcInfo is PPC's info mode output (ppc-expected-info/*.json): per pool,
// per node, what `lowlat topology` prints as SMT, CPU count and the CPUs of
// each NUMA node.
type ppcInfo []ppcInfoPool

type ppcInfoPool struct {
	Name  string        `json:"name"`
	Nodes []ppcInfoNode `json:"nodes"`
}

type ppcInfoNode struct {
	Name       string `json:"name"`
	SMT        bool   `json:"smt_enabled"`
	CPUs       int    `json:"cpus_count"`
	CellsCount *int   `json:"numa_cells_count"`
	Cells      []struct {
		ID   int   `json:"id"`
		CPUs []int `json:"cores"` // PPC calls a NUMA node's CPUs its cores
	} `json:"numa_cells"`
}

// TestSysinfoReadsWhatThePerformanceProfileCreatorsInfoModeReports checks
// every node of every pool of PPC's info cases whose must-gather is in the
// module, as PPC's own info test does: the module has no must-gather.e2e or
// must-gather.hosted-cluster, so their expected files go unchecked there too.
func TestSysinfoReadsWhatThePerformanceProfileCreatorsInfoModeReports(t *testing.T) {
	testdata := ppcTestdataDir(t)
	h := &hosts{t: t, testdata: testdata, read: map[string]sysinfo.Snapshot{}}
	files, err := filepath.Glob(filepath.Join(testdata, "ppc-expected-info", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no info cases: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(testdata, "must-gather", name)
			if _, err := os.Stat(dir); err != nil {
				t.Skipf("the module has no %s; PPC's own info test skips it the same way", name)
			}
			var info ppcInfo
			dec := json.NewDecoder(bytes.NewReader(readFile(t, f)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&info); err != nil {
				t.Fatal(err)
			}
			for _, pool := range info {
				checkPoolInfo(t, h, dir, pool)
			}
		})
	}
}

func checkPoolInfo(t *testing.T, h *hosts, dir string, pool ppcInfoPool) {
	t.Helper()
	var want []string
	for _, n := range pool.Nodes {
		want = append(want, n.Name)
	}
	if diff := cmp.Diff(want, poolNodes(t, dir, pool.Name)); diff != "" {
		t.Errorf("pool %s: nodes (-PPC +lowlat):\n%s", pool.Name, diff)
	}
	for _, n := range pool.Nodes {
		host := h.node(dir, n.Name).Topology
		got := []any{host.SMT(), len(host.CPUs), len(host.Nodes())}
		wantCounts := []any{n.SMT, n.CPUs, len(n.Cells)}
		if n.CellsCount != nil {
			wantCounts[2] = *n.CellsCount
		}
		if diff := cmp.Diff(wantCounts, got); diff != "" {
			t.Errorf("node %s: SMT, CPUs, NUMA nodes (-PPC +lowlat):\n%s", n.Name, diff)
		}
		for _, cell := range n.Cells {
			if got := host.NodeCPUs(cell.ID).Slice(); !slices.Equal(got, cell.CPUs) {
				t.Errorf("node %s, NUMA node %d: PPC %s, lowlat %s", n.Name, cell.ID, topology.NewCPUSet(cell.CPUs...), orNone(host.NodeCPUs(cell.ID)))
			}
		}
	}
}

package topology_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/topology"
	"github.com/lowlat/lowlat/generator/topology/sysinfo"
)

const importedFixture = "../../fixtures/topologies/ppc-bare-metal-worker1.lscpu"

// TestImportedFixtureIsPPCsMustGatherWorker keeps the fixture what
// `lowlat topology --sysinfo ... --node worker1.internal --to-lscpu` writes
// from PPC's must-gather.bare-metal. -update rewrites it.
func TestImportedFixtureIsPPCsMustGatherWorker(t *testing.T) {
	testdata := ppcTestdataDir(t)
	snap, err := sysinfo.Read(filepath.Join(testdata, "must-gather", "must-gather.bare-metal"), sysinfo.Options{Node: "worker1.internal"})
	if err != nil {
		t.Fatal(err)
	}
	module := filepath.Join(modCache(t), ppcModule+"@"+ppcVersion)
	rel, err := filepath.Rel(module, snap.Source)
	if err != nil {
		t.Fatal(err)
	}
	snap.Source = ppcModule + "@" + ppcVersion + "/" + filepath.ToSlash(rel) // the same on every machine
	var got bytes.Buffer
	if err := sysinfo.WriteLscpu(&got, snap); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(importedFixture, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(string(readFile(t, importedFixture)), got.String()); diff != "" {
		t.Errorf("%s (-want +got), rewrite it with -update:\n%s", importedFixture, diff)
	}
}

// TestLscpuNumberingLosesPPCsOffliningOrder shows which of PPC's cases
// `lscpu -p` cannot reproduce: lscpu numbers cores in the order of their
// first CPU, which hides sysfs core_id, and the must-gather worker's
// core_id is not in CPU order. Reserved sets never differ; offlined (and so
// isolated) sets do, only when fewer than a socket's CPUs are offlined.
func TestLscpuNumberingLosesPPCsOffliningOrder(t *testing.T) {
	testdata := ppcTestdataDir(t)
	h := &hosts{t: t, testdata: testdata, read: map[string]sysinfo.Snapshot{}}
	var differ []string
	for _, c := range ppcE2ECases(t, testdata) {
		snap := h.pool(c.args.MustGather, c.args.MCP)
		want, err1 := topology.Split(snap.Topology, c.args.request(t))
		got, err2 := topology.Split(lscpuNumbering(snap.Topology), c.args.request(t))
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v, %v", c.name, err1, err2)
		}
		if !want.Reserved.Equal(got.Reserved) {
			t.Errorf("%s: lscpu numbering changes the reserved set: %s, not %s", c.name, got.Reserved, want.Reserved)
		}
		if !want.Offlined.Equal(got.Offlined) {
			differ = append(differ, c.name)
		}
	}
	wantDiffer := []string{"profile1a", "profile3a", "profile4a", "profile4c", "profile5b", "profile6"}
	if diff := cmp.Diff(wantDiffer, differ); diff != "" {
		t.Errorf("cases lscpu numbering cannot reproduce (-want +got); update the README's list too:\n%s", diff)
	}
}

// lscpuNumbering renumbers t's cores the way lscpu does: across the host, in
// the order of each core's first CPU.
func lscpuNumbering(t topology.Topology) topology.Topology {
	type key struct{ socket, core int }
	number := map[key]int{}
	cpus := make([]topology.CPU, len(t.CPUs))
	for i, c := range t.CPUs {
		k := key{c.Socket, c.Core}
		if _, ok := number[k]; !ok {
			number[k] = len(number)
		}
		c.Core = number[k]
		cpus[i] = c
	}
	return topology.Topology{CPUs: cpus}
}

// TestMakefileFetchesThePinnedPPCModule keeps `make test`'s download and
// this suite on one version.
func TestMakefileFetchesThePinnedPPCModule(t *testing.T) {
	if want := ppcModule + "@" + ppcVersion; !strings.Contains(string(readFile(t, "../../Makefile")), want) {
		t.Errorf("the Makefile's testdata-modules target does not fetch %s", want)
	}
}

package advise_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/advise"
	"github.com/lowlat/lowlat/generator/inventory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestSeed004 is the seed's five workloads on the workshop's pools: their
// decisions are the README's, in every format.
func TestSeed004(t *testing.T) {
	inv, err := inventory.Load("../../fixtures/advise/seed-004.yaml")
	if err != nil {
		t.Fatal(err)
	}
	advice := inv.Spec.Clusters[0].Advice()
	for format, file := range map[string]string{"text": "seed-004.txt", "markdown": "seed-004.md", "json": "seed-004.json"} {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := advise.Write(&b, format, advice); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", file), b.String())
		})
	}
}

func TestSeed004Placement(t *testing.T) {
	inv, err := inventory.Load("../../fixtures/advise/seed-004.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range inv.Spec.Clusters[0].Advice() {
		got[a.Name] = string(a.Platform) + " on " + a.Pool
	}
	want := map[string]string{
		"build-farm":       "container on cnf-i3", // high disk throughput: local NVMe
		"memcached":        "container on cnf-c5", // SR-IOV on both; leaves the NVMe alone
		"stock-trading":    "container on cnf-c5", // 1Gi pages
		"gluster":          "container on cnf-i3", // NVMe and SR-IOV
		"animation-render": "container on cnf-i3", // high disk throughput: local NVMe
		"market-data":      "vm on cnf-c5",        // live migration needs two nodes
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("placements (-want +got):\n%s", diff)
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

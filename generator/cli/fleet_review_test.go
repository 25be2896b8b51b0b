package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lowlat/lowlat/generator/review"
)

// fleetHead starts a fleet file that lists clusters and takes the
// fleet-wide settings from another file.
const fleetHead = "apiVersion: lowlat.dev/v1alpha1\nkind: Inventory\nspec:\n  clusters:\n"

// TestDiffRendersAFleetAtEachRevision splits the diff test's inventory into
// a fleet directory, whose cluster file names its capture relative to
// itself, and reads it at each revision through git: nothing is extracted,
// and the working tree's capture is not the one read.
func TestDiffRendersAFleetAtEachRevision(t *testing.T) {
	diffRepo(t, false)
	data, err := os.ReadFile(diffInventory)
	mustDo(t, err)
	settings, clusters, ok := strings.Cut(string(data), "  clusters:\n")
	if !ok {
		t.Fatal("no clusters: line")
	}
	commit := func(reserved, msg string) {
		writeRepoFile(t, ".", "fleet/00-fleet.yaml", settings)
		writeRepoFile(t, ".", "fleet/lab1.yaml", fleetHead+strings.Replace(clusters, "reservedCPUs: 8\n", "reservedCPUs: "+reserved+"\n", 1))
		git(t, "add", "-A")
		git(t, "commit", "-q", "-m", msg)
	}
	commit("4", "fleet: reserve 4")
	commit("8", "fleet: reserve 8")
	mustDo(t, os.RemoveAll("topologies"))
	code, out, stderr := runLowlat("", "diff", "-f", "fleet", "HEAD~1", "HEAD", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r review.Report
	mustDo(t, json.Unmarshal([]byte(out), &r))
	if r.Head.Inventory != "HEAD:fleet" || len(r.Warnings) == 0 || r.Warnings[0].Nodes == nil || *r.Warnings[0].Nodes != 2 {
		t.Errorf("head inventory %q, warnings %+v", r.Head.Inventory, r.Warnings)
	}
	code, _, stderr = runLowlat("", "diff", "-f", "fleet", "-f", "fleet/lab1.yaml", "HEAD~1", "HEAD")
	if code == 0 || !strings.Contains(stderr, "BASE: fleet/lab1.yaml: named twice (by fleet and fleet/lab1.yaml)") {
		t.Errorf("a file named twice at a revision: exit %d\n%s", code, stderr)
	}
}

// TestDiscoverUpdatesTheFleetFileThatListsTheCluster splits the stripped
// workshop into a fleet; discover fills in the cluster's file alone.
func TestDiscoverUpdatesTheFleetFileThatListsTheCluster(t *testing.T) {
	_, path, workshopData := discoverSetup(t)
	settings, clusters, ok := strings.Cut(readFile(t, path), "  clusters:\n")
	if !ok {
		t.Fatal("no clusters: line")
	}
	_, wantClusters, _ := strings.Cut(string(workshopData), "  clusters:\n")
	dir := filepath.Join(t.TempDir(), "fleet")
	mustDo(t, os.MkdirAll(dir, 0o755))
	mustDo(t, os.WriteFile(filepath.Join(dir, "00-fleet.yaml"), []byte(settings), 0o644))
	mustDo(t, os.WriteFile(filepath.Join(dir, "lab1.yaml"), []byte(fleetHead+clusters), 0o644))
	code, _, stderr := lowlatDiscover("discover", "-f", dir, "--cluster", "lab1", "--write")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := readFile(t, filepath.Join(dir, "lab1.yaml")); got != fleetHead+wantClusters {
		t.Errorf("lab1.yaml is not the workshop's cluster, discovered:\n%s", got)
	}
	if got := readFile(t, filepath.Join(dir, "00-fleet.yaml")); got != settings {
		t.Error("the fleet-wide settings file changed")
	}
	if !strings.Contains(stderr, "updated "+filepath.Join(dir, "lab1.yaml")) {
		t.Errorf("stderr: %s", stderr)
	}
	code, _, stderr = lowlatDiscover("discover", "-f", dir, "--cluster", "lab9")
	if code == 0 || !strings.Contains(stderr, `inventory has no cluster "lab9"; its clusters: lab1`) {
		t.Errorf("an unknown cluster: exit %d\n%s", code, stderr)
	}
}

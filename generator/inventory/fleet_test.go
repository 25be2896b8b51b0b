package inventory

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

var fleetFixture = filepath.Join("..", "..", "fixtures", "rehearse", "fleet.yaml")

// fleetParts is the fixture fleet as one document per cluster, the
// fleet-wide settings in the first one only.
func fleetParts(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(fleetFixture)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	i := strings.Index(text, "  clusters:\n")
	head, rest := text[:i+len("  clusters:\n")], text[i+len("  clusters:\n"):]
	parts := strings.Split(rest, "\n  - name: ")
	bare := "apiVersion: lowlat.dev/v1alpha1\nkind: Inventory\nspec:\n  clusters:\n"
	docs := make([]string, len(parts))
	for n, part := range parts {
		if n > 0 {
			part = "  - name: " + part
		}
		docs[n] = bare + part + "\n"
		if n == 0 {
			docs[n] = head + part + "\n"
		}
	}
	return docs
}

// fleetPartName is the file name of document n of fleetParts.
func fleetPartName(n int) string { return string(rune('a'+n)) + ".yaml" }

// splitFleet writes fleetParts into dir and returns the files.
func splitFleet(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	for n, doc := range fleetParts(t) {
		f := filepath.Join(dir, fleetPartName(n))
		if err := os.WriteFile(f, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

func TestAFleetOfFilesLoadsAsTheSameInventoryAsOneFile(t *testing.T) {
	want, err := Load(fleetFixture)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := splitFleet(t, dir)
	if len(files) != 3 {
		t.Fatalf("want 3 files, got %d", len(files))
	}
	for name, paths := range map[string][]string{"a directory": {dir}, "repeated files": files} {
		got, err := LoadFleet(paths)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want.Spec, got.Spec, cmp.AllowUnexported(NodePool{}, Workloads{}, VM{}, Pod{})); diff != "" {
			t.Errorf("%s (-one file +fleet):\n%s", name, diff)
		}
	}
}

func fleetProblems(t *testing.T, paths ...string) string {
	t.Helper()
	_, err := LoadFleet(paths)
	var fe *FleetError
	if !errors.As(err, &fe) {
		t.Fatalf("want a *FleetError, got %v", err)
	}
	return err.Error()
}

func TestFleetProblemsNameEveryFileAndBothLocations(t *testing.T) {
	t.Run("a fleet-wide setting given twice with different values", func(t *testing.T) {
		dir := t.TempDir()
		files := splitFleet(t, dir)
		data, _ := os.ReadFile(files[1])
		withVersion := strings.Replace(string(data), "spec:\n", "spec:\n  openshift: {version: \"4.19\"}\n", 1)
		os.WriteFile(files[1], []byte(withVersion), 0o644)
		msg := fleetProblems(t, dir)
		if !strings.Contains(msg, files[1]+":4: spec.openshift: differs from "+files[0]+":") {
			t.Errorf("want the conflict with both locations, got:\n%s", msg)
		}
	})
	t.Run("a cluster name in two files, and a problem in each of two files", func(t *testing.T) {
		dir := t.TempDir()
		files := splitFleet(t, dir)
		data, _ := os.ReadFile(files[2])
		os.WriteFile(files[2], []byte(strings.Replace(string(data), "name: edge-c", "name: edge-b", 1)), 0o644)
		data, _ = os.ReadFile(files[1])
		os.WriteFile(files[1], []byte(strings.Replace(string(data), "replicas: 2", "replicas: -1", 1)), 0o644)
		data, _ = os.ReadFile(files[0])
		os.WriteFile(files[0], []byte(strings.Replace(string(data), "replicas: 2", "replicas: -2", 1)), 0o644)
		msg := fleetProblems(t, dir)
		for _, want := range []string{
			files[2] + ":5: spec.clusters[0].name: cluster \"edge-b\" is also in " + files[1],
			files[0] + ":",
			files[1] + ":",
			"replicas",
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("want %q in:\n%s", want, msg)
			}
		}
	})
	t.Run("two files with the default destination", func(t *testing.T) {
		dir := t.TempDir()
		files := splitFleet(t, dir)
		for _, f := range files[1:] {
			data, _ := os.ReadFile(f)
			lines := strings.Split(string(data), "\n")
			var kept []string
			for _, l := range lines {
				if !strings.Contains(l, "destination:") {
					kept = append(kept, l)
				}
			}
			os.WriteFile(f, []byte(strings.Join(kept, "\n")), 0o644)
		}
		msg := fleetProblems(t, dir)
		if !strings.Contains(msg, "is also the destination of the cluster at "+files[0]) {
			t.Errorf("want the shared destination, got:\n%s", msg)
		}
		if !strings.Contains(msg, "register cluster") || !strings.Contains(msg, "and write destination: {name: ") {
			t.Errorf("want what to write for a cluster ArgoCD does not run in, got:\n%s", msg)
		}
	})
	t.Run("the size limit is per file", func(t *testing.T) {
		dir := t.TempDir()
		files := splitFleet(t, dir)
		big := make([]byte, MaxBytes+10)
		for i := range big {
			big[i] = '#'
		}
		os.WriteFile(files[2], big, 0o644)
		if msg := fleetProblems(t, dir); !strings.Contains(msg, files[2]+": 1 problem(s):\n  "+files[2]+": file is larger than") {
			t.Errorf("want the size problem of the one file, got:\n%s", msg)
		}
	})
	t.Run("a directory without inventory files", func(t *testing.T) {
		if _, err := LoadFleet([]string{t.TempDir()}); err == nil || !strings.Contains(err.Error(), "no inventory files") {
			t.Errorf("got %v", err)
		}
	})
}

func TestAFleetMayKeepItsSettingsInAFileWithoutClusters(t *testing.T) {
	data, err := os.ReadFile(fleetFixture)
	if err != nil {
		t.Fatal(err)
	}
	settings, clusters, _ := strings.Cut(string(data), "  clusters:\n")
	bare := "apiVersion: lowlat.dev/v1alpha1\nkind: Inventory\nspec:\n  clusters:\n"
	fsys := fstest.MapFS{
		"fleet/00-settings.yaml": {Data: []byte(settings)},
		"fleet/clusters.yaml":    {Data: []byte(bare + clusters)},
	}
	want, err := Load(fleetFixture)
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadFleetFS(fsys, []string{"fleet"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Spec, got.Spec, cmp.AllowUnexported(NodePool{}, Workloads{}, VM{}, Pod{})); diff != "" {
		t.Errorf("(-one file +fleet):\n%s", diff)
	}
	delete(fsys, "fleet/clusters.yaml")
	fsys["fleet/more-settings.yaml"] = &fstest.MapFile{Data: []byte(settings)}
	_, err = LoadFleetFS(fsys, []string{"fleet"}, "")
	if err == nil || !strings.Contains(err.Error(), "fleet/00-settings.yaml:") || !strings.Contains(err.Error(), "spec.clusters: Required value: list at least one cluster") {
		t.Errorf("a fleet without clusters: %v", err)
	}
}

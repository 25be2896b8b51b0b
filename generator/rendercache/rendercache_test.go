package rendercache

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/render"
)

var workshop = filepath.Join("..", "..", "fixtures", "inventories", "workshop.yaml")

// setup opens the workshop as a fleet, writes two files of its cluster
// into a fresh output directory and records them as rendered.
func setup(t *testing.T) (inventory.FleetFile, string) {
	t.Helper()
	t.Setenv(EnvDir, t.TempDir())
	fleet, err := inventory.OpenFleet([]string{workshop}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := fleet.Files()[0]
	out := t.TempDir()
	for _, p := range []string{"overlays/aws/lab1/tuning/a.yaml", "apps/roots/application-lab1-root.yaml"} {
		write(t, filepath.Join(out, p), "generated\n")
	}
	cache, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	u := render.Unit{Cluster: "lab1", Dirs: render.ClusterDirs("lab1"), Summary: summary}
	if err := cache.Rendered(f, []render.Unit{u}, nil); err != nil {
		t.Fatal(err)
	}
	if err := cache.Save(); err != nil {
		t.Fatal(err)
	}
	return f, out
}

var summary = render.Summary{Kinds: []string{"/Namespace"}, RootFile: "apps/roots/application-lab1-root.yaml"}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func known(t *testing.T, f inventory.FleetFile, out string) bool {
	t.Helper()
	cache, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	clusters, _, ok := cache.Known(f)
	if ok {
		want := []Cluster{{Name: "lab1", Summary: summary}}
		if diff := cmp.Diff(want, clusters, cmpopts.IgnoreFields(Cluster{}, "Files")); diff != "" {
			t.Errorf("clusters (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{summary.RootFile}, clusters[0].Own()); diff != "" {
			t.Errorf("owned files (-want +got):\n%s", diff)
		}
		if !cache.Validated(f) {
			t.Error("a known file is not validated")
		}
	}
	return ok
}

func TestAClusterIsKnownOnlyWhileItsInputsAndFilesAreAsRendered(t *testing.T) {
	later := time.Now().Add(time.Hour)
	cases := []struct {
		name   string
		change func(t *testing.T, f *inventory.FleetFile, out string)
		known  bool
	}{
		{"nothing changed", func(*testing.T, *inventory.FleetFile, string) {}, true},
		{"a file touched", func(t *testing.T, _ *inventory.FleetFile, out string) {
			if err := os.Chtimes(filepath.Join(out, "overlays/aws/lab1/tuning/a.yaml"), later, later); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a file rewritten with other contents", func(t *testing.T, _ *inventory.FleetFile, out string) {
			write(t, filepath.Join(out, "overlays/aws/lab1/tuning/a.yaml"), "edited by hand\n")
		}, false},
		{"a file deleted", func(t *testing.T, _ *inventory.FleetFile, out string) {
			os.Remove(filepath.Join(out, "overlays/aws/lab1/tuning/a.yaml"))
		}, false},
		{"a file added to the cluster's directories", func(t *testing.T, _ *inventory.FleetFile, out string) {
			write(t, filepath.Join(out, "apps/lab1/extra.yaml"), "x\n")
		}, false},
		{"its root Application deleted", func(t *testing.T, _ *inventory.FleetFile, out string) {
			os.Remove(filepath.Join(out, "apps/roots/application-lab1-root.yaml"))
		}, false},
		{"the inventory file, its settings or captures changed", func(_ *testing.T, f *inventory.FleetFile, _ string) {
			f.Digest[0] ^= 1
		}, false},
		{"the file's clusters changed", func(_ *testing.T, f *inventory.FleetFile, _ string) {
			f.Clusters = append(f.Clusters, "lab2")
		}, false},
		{"the cache lost", func(t *testing.T, _ *inventory.FleetFile, _ string) {
			os.RemoveAll(os.Getenv(EnvDir))
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, out := setup(t)
			c.change(t, &f, out)
			if got := known(t, f, out); got != c.known {
				t.Errorf("known = %v, want %v", got, c.known)
			}
		})
	}
}

func TestEachOutputDirectoryHasItsOwnCache(t *testing.T) {
	f, out := setup(t)
	if !known(t, f, out) {
		t.Fatal("the rendered directory is not known")
	}
	other := t.TempDir()
	if known(t, f, other) {
		t.Error("another directory shares the cache")
	}
}

// A render that stops before Save leaves the last saved cache as it was,
// and no partial file beside it.
func TestARenderThatIsNotSavedKeepsTheLastCache(t *testing.T) {
	f, out := setup(t)
	cache, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := cache.Rendered(f, nil, nil); err != nil {
		t.Fatal(err)
	}
	cache.Close()
	entries, err := os.ReadDir(os.Getenv(EnvDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("cache directory holds %d files, want the saved cache alone", len(entries))
	}
	if !known(t, f, out) {
		t.Error("the saved cache was lost")
	}
}

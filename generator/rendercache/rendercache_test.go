package rendercache

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/render"
)

var workshop = filepath.Join("..", "..", "fixtures", "inventories", "workshop.yaml")

// setup loads the workshop, writes two files of its cluster into a fresh
// output directory and records them as rendered.
func setup(t *testing.T) (*inventory.Inventory, string) {
	t.Helper()
	t.Setenv(EnvDir, t.TempDir())
	inv, err := inventory.Load(workshop)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	c := &inv.Spec.Clusters[0]
	for _, p := range []string{"overlays/aws/lab1/tuning/a.yaml", "apps/roots/application-lab1-root.yaml"} {
		write(t, filepath.Join(out, p), "generated\n")
	}
	cache, err := Open(out, inv)
	if err != nil {
		t.Fatal(err)
	}
	s := render.Summary{Kinds: []string{"/Namespace"}, RootFile: "apps/roots/application-lab1-root.yaml"}
	if err := cache.Rendered(c, []string{s.RootFile}, s); err != nil {
		t.Fatal(err)
	}
	if err := cache.Save(); err != nil {
		t.Fatal(err)
	}
	return inv, out
}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func known(t *testing.T, inv *inventory.Inventory, out string) bool {
	t.Helper()
	cache, err := Open(out, inv)
	if err != nil {
		t.Fatal(err)
	}
	s, own, ok := cache.Known(&inv.Spec.Clusters[0])
	if ok {
		if diff := cmp.Diff(render.Summary{Kinds: []string{"/Namespace"}, RootFile: "apps/roots/application-lab1-root.yaml"}, s); diff != "" {
			t.Errorf("summary (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"apps/roots/application-lab1-root.yaml"}, own); diff != "" {
			t.Errorf("own files (-want +got):\n%s", diff)
		}
	}
	return ok
}

func TestAClusterIsKnownOnlyWhileItsInputsAndFilesAreAsRendered(t *testing.T) {
	later := time.Now().Add(time.Hour)
	cases := []struct {
		name   string
		change func(t *testing.T, inv *inventory.Inventory, out string)
		known  bool
	}{
		{"nothing changed", func(*testing.T, *inventory.Inventory, string) {}, true},
		{"a file touched", func(t *testing.T, _ *inventory.Inventory, out string) {
			if err := os.Chtimes(filepath.Join(out, "overlays/aws/lab1/tuning/a.yaml"), later, later); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"a file rewritten with other contents", func(t *testing.T, _ *inventory.Inventory, out string) {
			write(t, filepath.Join(out, "overlays/aws/lab1/tuning/a.yaml"), "edited by hand\n")
		}, false},
		{"a file deleted", func(t *testing.T, _ *inventory.Inventory, out string) {
			os.Remove(filepath.Join(out, "overlays/aws/lab1/tuning/a.yaml"))
		}, false},
		{"a file added to the cluster's directories", func(t *testing.T, _ *inventory.Inventory, out string) {
			write(t, filepath.Join(out, "apps/lab1/extra.yaml"), "x\n")
		}, false},
		{"its root Application deleted", func(t *testing.T, _ *inventory.Inventory, out string) {
			os.Remove(filepath.Join(out, "apps/roots/application-lab1-root.yaml"))
		}, false},
		{"the cluster changed", func(_ *testing.T, inv *inventory.Inventory, _ string) {
			inv.Spec.Clusters[0].NodePools[0].Replicas++
		}, false},
		{"a fleet-wide setting changed", func(_ *testing.T, inv *inventory.Inventory, _ string) {
			inv.Spec.GitOps.TargetRevision = "release-2"
		}, false},
		{"the cache lost", func(t *testing.T, _ *inventory.Inventory, _ string) {
			os.RemoveAll(os.Getenv(EnvDir))
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv, out := setup(t)
			c.change(t, inv, out)
			if got := known(t, inv, out); got != c.known {
				t.Errorf("known = %v, want %v", got, c.known)
			}
		})
	}
}

func TestEachOutputDirectoryHasItsOwnCache(t *testing.T) {
	inv, out := setup(t)
	if !known(t, inv, out) {
		t.Fatal("the rendered directory is not known")
	}
	other := t.TempDir()
	if known(t, inv, other) {
		t.Error("another directory shares the cache")
	}
}

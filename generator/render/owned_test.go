package render

import (
	"path"
	"testing"

	"github.com/lowlat/lowlat/generator/layout"
)

// ownedBy reports whether owned keeps p: p itself as a file, or a
// directory above it.
func ownedBy(owned func(string, bool) bool, p string) bool {
	if owned(p, false) {
		return true
	}
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if owned(d, true) {
			return true
		}
	}
	return false
}

// TestOwnedKeepsWhatTheRenderWritesAndNoMore checks Owned against a real
// render: Finish must keep every file the units wrote, and must not keep
// the files of a cluster that left the fleet.
func TestOwnedKeepsWhatTheRenderWritesAndNoMore(t *testing.T) {
	inv := loadInventory(t, "testdata/golden/gitops-fleet/inventory.yaml")
	got, err := Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(inv)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range inv.Spec.Clusters {
		names = append(names, c.Name)
	}
	if len(names) < 2 {
		t.Fatalf("the case needs two clusters, has %v", names)
	}
	all, gone := r.Owned(names), r.Owned(names[1:])
	roots := 0
	for _, p := range got.Paths() {
		if !ownedBy(all, p) {
			t.Errorf("%s is written but not owned: Finish would remove it", p)
		}
		place := layout.Locate(p)
		firstsOwn := place.Cluster == names[0] || p == path.Join(layout.AppsRootsDir, rootFileName(names[0]))
		if firstsOwn && ownedBy(gone, p) {
			t.Errorf("%s is %s's, yet owned without it", p, names[0])
		}
		if path.Dir(p) == layout.AppsRootsDir {
			roots++
		}
	}
	if roots != len(names)+1 {
		t.Errorf("apps/roots holds %d files, want a root Application per cluster and the kustomization", roots)
	}
	for _, p := range []string{"overlays", "apps", "krm", "apps/roots", "overlays/aws", "apps/roots/application-x-root.yaml"} {
		if all(p, true) || all(p, false) {
			t.Errorf("%s is owned; it is shared or no unit's", p)
		}
	}
}

func TestRootFileNameReadsBack(t *testing.T) {
	for _, c := range []string{"lab1", "a", "c-root", "application-x"} {
		if got, ok := clusterOfRootFile(rootFileName(c)); !ok || got != c {
			t.Errorf("clusterOfRootFile(rootFileName(%q)) = %q, %v", c, got, ok)
		}
	}
	for _, name := range []string{"kustomization.yaml", "application--root.yaml", "application-Lab1-root.yaml", "lab1.yaml"} {
		if c, ok := clusterOfRootFile(name); ok {
			t.Errorf("clusterOfRootFile(%q) = %q, want none", name, c)
		}
	}
}

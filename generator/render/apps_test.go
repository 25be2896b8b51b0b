package render

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/tree"
)

func TestClusterObjectsAreWhatTheOverlayBuilds(t *testing.T) {
	cases, _ := filepath.Glob("testdata/golden/*/inventory.yaml")
	for _, file := range cases {
		inv, tr := loadInventory(t, file), renderFile(t, file)
		for _, c := range inv.Spec.Clusters {
			t.Run(filepath.Base(filepath.Dir(file))+"/"+c.Name, func(t *testing.T) {
				files, err := tree.Build(tr, layout.ClusterDir(c.Name))
				if err != nil {
					t.Fatal(err)
				}
				var want []map[string]any
				for _, f := range files {
					want = append(want, f.Object)
				}
				got, err := ClusterObjects(inv, c.Name)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(sortedJSON(t, want), sortedJSON(t, got)); diff != "" {
					t.Errorf("(-overlay +function):\n%s", diff)
				}
			})
		}
	}
}

func TestAppsNeedARepository(t *testing.T) {
	inv := loadInventory(t, "testdata/golden/gitops-fleet/inventory.yaml")
	inv.Spec.GitOps.RepoURL = ""
	tr, err := Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range tr.Paths() {
		if filepath.Dir(filepath.Dir(p)) == "apps" || filepath.Dir(p) == "apps" {
			t.Errorf("%s rendered without gitops.repoURL", p)
		}
	}
}

func TestOnlyAFleetGetsAnApplicationSet(t *testing.T) {
	for file, want := range map[string]bool{
		"testdata/golden/gitops-fleet/inventory.yaml": true,
		"../../fixtures/inventories/workshop.yaml":    false,
	} {
		tr := renderFile(t, file)
		_, got := tr.File(layout.AppsFleetDir + "/applicationset-" + loadInventory(t, file).Metadata.Name + ".yaml")
		if got != want {
			t.Errorf("%s: ApplicationSet rendered %v, want %v", file, got, want)
		}
	}
}

func sortedJSON(t *testing.T, objs []map[string]any) []string {
	t.Helper()
	var out []string
	for _, o := range objs {
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	sort.Strings(out)
	return out
}

func loadInventory(t *testing.T, file string) *inventory.Inventory {
	t.Helper()
	inv, err := inventory.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

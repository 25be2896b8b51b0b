package render_test

import (
	"path/filepath"
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/lowlat/lowlat/generator/e2e"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/render"
)

// TestResourceNamesMatchTheAPI checks the resource name the controller's
// ClusterRole grants for every kind a fixture renders: a custom kind's
// against its CRD's spec.names.plural, a built-in kind's against the API
// server's own naming. A wrong name would grant nothing, and the sync would
// fail with "forbidden".
func TestResourceNamesMatchTheAPI(t *testing.T) {
	files, _ := filepath.Glob("testdata/golden/*/inventory.yaml")
	files = append(files, "../../fixtures/inventories/workshop.yaml", "../../fixtures/rehearse/fleet.yaml")
	seen := map[schema.GroupVersionKind]bool{}
	for _, f := range files {
		inv, err := inventory.Load(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, c := range inv.Spec.Clusters {
			objs, err := render.ClusterObjects(inv, c.Name)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range objs {
				id := manifest.Identify(m)
				apiVersion, _ := m["apiVersion"].(string)
				gv, _ := schema.ParseGroupVersion(apiVersion)
				gvk := gv.WithKind(id.Kind)
				if seen[gvk] {
					continue
				}
				seen[gvk] = true
				want := ""
				if crd, err := e2e.CRDFor(id.Group, id.Kind); err == nil {
					want = crd.Spec.Names.Plural
				} else {
					plural, _ := meta.UnsafeGuessKindToResource(gvk)
					want = plural.Resource
				}
				if got := render.Resource(id.Kind); got != want {
					t.Errorf("%s: Resource gives %q, the API serves %q", gvk, got, want)
				}
			}
		}
	}
	if len(seen) < 15 {
		t.Errorf("only %d kinds checked", len(seen))
	}
}

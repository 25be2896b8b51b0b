package schema

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/render"
)

const repoRoot = "../.."

func TestTheRenderedWorkshopTreeMatchesItsSchemas(t *testing.T) {
	inv, err := inventory.Load(filepath.Join(repoRoot, "fixtures/inventories/workshop.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := render.Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	res := shared.ValidateTree(tr)
	if res.Resources == 0 {
		t.Fatal("the workshop renders no resources")
	}
	for _, p := range res.Problems {
		t.Error(p)
	}
	t.Logf("%d resources in %d files checked", res.Resources, res.Files)
}

func TestTheCommittedTreeMatchesItsSchemas(t *testing.T) {
	var roots []string
	for _, r := range layout.Roots {
		if _, err := os.Stat(filepath.Join(repoRoot, r)); err == nil {
			roots = append(roots, filepath.Join(repoRoot, r))
		}
	}
	if len(roots) == 0 {
		t.Skip("no committed tree yet (make generate writes it)")
	}
	res, err := shared.ValidatePaths(roots)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Problems {
		t.Error(p)
	}
}

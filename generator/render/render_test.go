package render

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/tree"
)

var update = flag.Bool("update", false, "rewrite the golden trees under testdata/golden/*/want")

// TestGoldenTrees renders each testdata/golden/<case>/inventory.yaml and
// compares the whole tree with <case>/want. Run with -update to accept.
func TestGoldenTrees(t *testing.T) {
	cases, err := filepath.Glob("testdata/golden/*/inventory.yaml")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, invPath := range cases {
		dir := filepath.Dir(invPath)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			got := renderFile(t, invPath)
			want := filepath.Join(dir, "want")
			if *update {
				if err := os.MkdirAll(want, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := got.Write(want, layout.Roots); err != nil {
					t.Fatal(err)
				}
			}
			committed, err := tree.Read(want, layout.Roots)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tree.Compare(committed, got) {
				t.Errorf("%s %s (-want +got):\n%s", c.Kind, c.Path, c.Diff)
			}
		})
	}
}

func TestSecondRenderIsByteIdentical(t *testing.T) {
	inv := filepath.Join("..", "..", "fixtures", "inventories", "workshop.yaml")
	first, second := renderFile(t, inv), renderFile(t, inv)
	if diff := cmp.Diff(first.Paths(), second.Paths()); diff != "" {
		t.Fatalf("paths differ (-first +second):\n%s", diff)
	}
	for _, p := range first.Paths() {
		a, _ := first.File(p)
		b, _ := second.File(p)
		if string(a) != string(b) {
			t.Errorf("%s differs between two renders", p)
		}
	}
}

func renderFile(t *testing.T, path string) *tree.Tree {
	t.Helper()
	inv, err := inventory.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

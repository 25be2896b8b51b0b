package review

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/render"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// testInventory is the inventory every rendered case edits.
const testInventory = "testdata/inventory.yaml"

// edit replaces one exact piece of the test inventory.
type edit struct{ old, new string }

var (
	addPool = edit{"    workloads:\n", `    - name: cnf-c5d
      instanceType: c5d.metal
      replicas: 3
      tuning:
        reservedCPUs: 4
    workloads:
`}
	moreReserved = edit{"reservedCPUs: 4\n", "reservedCPUs: 8\n"}
	fewerPages   = edit{"        - {size: 1G, count: 16, node: 0}\n        - {size: 1G, count: 16, node: 1}\n", "        - {size: 1G, count: 14, node: 1}\n"}
	removeVM     = edit{`      - name: rt-vm-2
        nodePool: cnf-c5
        cpus: 3
        memory: 4Gi
        hugepageSize: 1Gi
`, ""}
)

type goldenCase struct {
	name       string
	file       string
	base, head func(t *testing.T) *Side
}

var goldenCases = []goldenCase{
	{"an unchanged inventory has no changes", "no-changes", rendered("base"), rendered("head")},
	{"adding a pool reboots only the new pool's nodes", "add-pool", rendered("base"), rendered("head", addPool)},
	{"changing reserved CPUs reboots the pool and moves its CPU sets", "reserved-cpus", rendered("base"), rendered("head", moreReserved)},
	{"hugepages are matched by size and NUMA node", "hugepages", rendered("base"), rendered("head", fewerPages)},
	{"removing a VM removes its VirtualMachine only", "remove-vm", rendered("base"), rendered("head", removeVM)},
	{"adding and changing SR-IOV networks drains the pool's nodes", "network", directory("network/base", testInventory), directory("network/head", testInventory)},
	{"removed, moved and reordered resources without an inventory", "prune", directory("prune/base", ""), directory("prune/head", "")},
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Compare(tc.base(t), tc.head(t))
			if err != nil {
				t.Fatal(err)
			}
			var text, md, js bytes.Buffer
			must(t, Text(&text, r, false))
			must(t, Markdown(&md, r, 0))
			must(t, JSON(&js, r))
			golden(t, tc.file+".txt", text.String())
			golden(t, tc.file+".md", md.String())
			golden(t, tc.file+".json", js.String())
		})
	}
}

// rendered renders the test inventory with edits applied.
func rendered(label string, edits ...edit) func(t *testing.T) *Side {
	return func(t *testing.T) *Side {
		t.Helper()
		data, err := os.ReadFile(testInventory)
		must(t, err)
		text := string(data)
		for _, e := range edits {
			if strings.Count(text, e.old) != 1 {
				t.Fatalf("edit %q does not match %s exactly once", e.old, testInventory)
			}
			text = strings.Replace(text, e.old, e.new, 1)
		}
		inv, err := inventory.Parse([]byte(text), testInventory, "testdata")
		must(t, err)
		tr, err := render.Render(inv)
		must(t, err)
		return &Side{Label: label, Tree: tr, Inventory: inv, InventoryName: label + ":" + testInventory}
	}
}

// directory opens a hand-made tree under testdata/trees.
func directory(dir, inventoryFile string) func(t *testing.T) *Side {
	return func(t *testing.T) *Side {
		t.Helper()
		s, err := Open(context.Background(), filepath.Join("testdata", "trees", dir), OpenOptions{InventoryFile: inventoryFile})
		must(t, err)
		s.Label = dir
		return s
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", "golden", name)
	if *update {
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", p, diff)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

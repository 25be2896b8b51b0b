package rehearse

import (
	"os"
	"strings"
	"testing"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/render"
	"github.com/lowlat/lowlat/generator/tree"
)

func renderText(t *testing.T, text string) (*inventory.Inventory, *tree.Tree) {
	t.Helper()
	inv, err := inventory.Parse([]byte(text), "fleet.yaml", "../../fixtures/rehearse")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := render.Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	return inv, tr
}

func TestChangedClusters(t *testing.T) {
	data, err := os.ReadFile("../../fixtures/rehearse/fleet.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fleet := string(data)
	inv, before := renderText(t, fleet)
	i := strings.Index(fleet, "- name: edge-c")
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"nothing", fleet, nil},
		{"one cluster's tuning", fleet[:i] + strings.Replace(fleet[i:], "reservedCPUs: 4", "reservedCPUs: 6", 1), []string{"edge-c"}},
		// The operators' channel is the same; the latency test image and
		// edge-a's network (refused on 4.21) are not.
		{"the release", strings.Replace(fleet, `version: "4.22"`, `version: "4.21"`, 1), []string{"edge-a", "edge-b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "the release" {
				// 4.21 refuses the SR-IOV network of edge-a; drop it.
				j := strings.Index(tc.text, "    networks:")
				k := strings.Index(tc.text, "    workloads:")
				tc.text = tc.text[:j] + tc.text[k:]
			}
			_, after := renderText(t, tc.text)
			got := ChangedClusters(inv, before, after)
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestChangedClustersSharedFilesConcernEveryCluster(t *testing.T) {
	data, err := os.ReadFile("../../fixtures/rehearse/fleet.yaml")
	if err != nil {
		t.Fatal(err)
	}
	inv, rendered := renderText(t, string(data))
	copyOf := func(extra string) *tree.Tree {
		out := tree.New()
		for _, q := range rendered.Paths() {
			b, _ := rendered.File(q)
			if err := out.AddFile(q, b); err != nil {
				t.Fatal(err)
			}
		}
		if extra != "" {
			if err := out.AddFile(extra, []byte("kind: ConfigMap\n")); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	before := copyOf("")
	if got := ChangedClusters(inv, before, copyOf("")); len(got) != 0 {
		t.Fatalf("identical copies: got %v", got)
	}
	for _, p := range []string{"base/operators/extra.yaml", "apps/health/openshift-gitops/extra.yaml"} {
		if got := ChangedClusters(inv, before, copyOf(p)); len(got) != 3 {
			t.Errorf("%s: got %v, want every cluster", p, got)
		}
	}
}

package review

import (
	"testing"

	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/lowlat/lowlat/generator/inventory"
)

// TestBatchScalesMaxUnavailableAsTheMCODoes: percentages round down, and
// a pool always rolls at least one node.
func TestBatchScalesMaxUnavailableAsTheMCODoes(t *testing.T) {
	for _, c := range []struct {
		replicas int
		max      intstr.IntOrString
		want     int
	}{
		{4, intstr.FromInt32(1), 1},
		{4, intstr.FromInt32(3), 3},
		{4, intstr.FromString("50%"), 2},
		{3, intstr.FromString("50%"), 1},
		{3, intstr.FromString("10%"), 1},
		{10, intstr.FromString("100%"), 10},
	} {
		np := &inventory.NodePool{Replicas: c.replicas, MaxUnavailable: &inventory.NodeCount{IntOrString: c.max}}
		if got := np.Batch(); got != c.want {
			t.Errorf("%d nodes, maxUnavailable %s: %d at a time, want %d", c.replicas, c.max.String(), got, c.want)
		}
	}
}

// TestCanaryPoolsScaleAndEstimateWithoutTheCanary: the held pool has one
// node fewer than the inventory's replicas, and a rollout through the
// canary takes the canary's reboot, its re-test and the controller's
// passes before the rest.
func TestCanaryPoolsScaleAndEstimateWithoutTheCanary(t *testing.T) {
	np := &inventory.NodePool{Name: "cnf", NodeRole: "cnf", Replicas: 5, Canary: true,
		MaxUnavailable: &inventory.NodeCount{IntOrString: intstr.FromString("50%")}}
	if got := np.Batch(); got != 2 {
		t.Errorf("5 nodes with a canary, maxUnavailable 50%%: %d at a time, want 2 (half of the 4 held)", got)
	}
	s := &Side{Inventory: &inventory.Inventory{Spec: inventory.Spec{Clusters: []inventory.Cluster{{Name: "lab", NodePools: []inventory.NodePool{*np}}}}}}
	ws := map[string]*Warning{}
	e := &entry{cur: map[string]any{"spec": map[string]any{"nodeSelector": map[string]any{"node-role.kubernetes.io/cnf": ""}}}}
	e.loc.Cluster = "lab"
	e.Change = Changed
	addNodeWarning(ws, WarnReboot, e, s, s)
	var w *Warning
	for _, v := range ws {
		w = v
	}
	// 30 s render, the canary's 14 min, two 5-minute passes around its
	// 5-minute re-test, then the other 4 in 2 rounds of 14 min: 57.5 min.
	if w == nil || !w.Canary || w.AtOnce != 2 || w.Estimate != "58 min" {
		t.Fatalf("warning %+v; want a canary estimate of 58 min, 2 at a time", w)
	}
	if got := w.nodes(); got != "pool cnf (5 nodes, a canary first, re-tested, then 2 at a time: about 58 min)" {
		t.Errorf("text %q", got)
	}
}

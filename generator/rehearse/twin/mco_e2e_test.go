//go:build e2e

package twin

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// TestAPausedPoolHoldsItsNodesWhileItsCanaryUpdates lays pool cnf out as
// lowlat's canary rollout does: cnf paused, without its canary node, and
// cnf-canary with it, both selecting the worker and cnf configs. The two
// render configs whose names end alike; the canary reboots into its own at
// once, the held nodes stay on the worker's config and the pool says why,
// until cnf is unpaused. A third pool that also selects the canary node
// makes the node controller refuse it.
func TestAPausedPoolHoldsItsNodesWhileItsCanaryUpdates(t *testing.T) {
	c5, err := catalog.Lookup("c5.metal")
	if err != nil {
		t.Fatal(err)
	}
	spec := Spec{Cluster: "lab1", OpenShift: "4.20", Durations: DefaultDurations()}
	spec.Durations.Drain, spec.Durations.Reboot = time.Minute, 2*time.Minute
	for i := range 3 {
		spec.Nodes = append(spec.Nodes, NodeSpec{Name: nodeName("lab1", "cnf", i), Pool: "cnf", Role: "cnf", InstanceType: c5})
	}
	m := startTestTwin(t, spec, machineSetSpeed)
	m.run(t)
	m.waitFor(t, "every cnf node on the worker pool's config", func() bool {
		for i := range 3 {
			if !strings.HasPrefix(m.currentConfig(t, nodeName("lab1", "cnf", i)), "rendered-worker-") {
				return false
			}
		}
		return true
	})
	worker := m.currentConfig(t, "lab1-cnf-0")

	m.label(t, "lab1-cnf-2", roleLabelPrefix+"cnf-canary")
	m.t0 = m.clock.Elapsed()
	for _, pool := range canaryPools()[2:] {
		if pool["metadata"].(map[string]any)["name"] == "cnf" {
			pool["spec"].(map[string]any)["paused"] = true
		}
		if err := m.apply(m.ctx, "test", gvrMCP, pool); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.apply(m.ctx, "test", gvrMachineConfig, machineConfig("50-cnf", "cnf", "nohz_full=2-47")); err != nil {
		t.Fatal(err)
	}

	m.waitFor(t, "the canary on its pool's config", func() bool {
		return strings.HasPrefix(m.currentConfig(t, "lab1-cnf-2"), "rendered-cnf-canary-") && m.state(t, "lab1-cnf-2") == "Done"
	})
	canary := m.currentConfig(t, "lab1-cnf-2")
	held := mustString(m.pool(t, "cnf").Object, "spec", "configuration", "name")
	if strings.TrimPrefix(held, "rendered-cnf-") != strings.TrimPrefix(canary, "rendered-cnf-canary-") {
		t.Errorf("cnf targets %s and its canary runs %s: the same configs must end alike", held, canary)
	}
	if !m.event(timeline.Reboot, "Node lab1-cnf-2") {
		t.Error("the canary took its new config without a reboot")
	}
	m.waitFor(t, "cnf to report it is paused", func() bool {
		return conditionMessage(m.pool(t, "cnf"), "Updating") == "Pool is paused; will not update to MachineConfig "+held
	})
	for _, n := range []string{"lab1-cnf-0", "lab1-cnf-1"} {
		if cur := m.currentConfig(t, n); cur != worker || m.event(timeline.Drain, "Node "+n) {
			t.Errorf("%s of the paused pool moved: runs %s", n, cur)
		}
	}
	if p := m.pool(t, "cnf"); conditionStatus(p, "Updated") != "False" || conditionStatus(p, "Updating") != "False" {
		t.Errorf("paused cnf: Updated %s Updating %s, want False False", conditionStatus(p, "Updated"), conditionStatus(p, "Updating"))
	}

	m.patchPool(t, "cnf", `{"spec":{"paused":false}}`)
	m.waitFor(t, "cnf updated once unpaused", func() bool {
		return conditionStatus(m.pool(t, "cnf"), "Updated") == "True" && m.currentConfig(t, "lab1-cnf-0") == held && m.currentConfig(t, "lab1-cnf-1") == held
	})
	if !m.event(timeline.Reboot, "Node lab1-cnf-0") {
		t.Error("a held node took the new config without a reboot")
	}

	other := poolObject("cnf-b", matchRole("cnf-canary"), workerRole, "cnf")
	if err := m.apply(m.ctx, "test", gvrMCP, other); err != nil {
		t.Fatal(err)
	}
	m.waitFor(t, "the node controller to refuse the doubly selected canary", func() bool {
		for _, e := range m.rec.Events() {
			if e.Resource == "Node lab1-cnf-2" && e.Status == "NotInPool" && e.Message == "node lab1-cnf-2 belongs to 2 custom roles, cannot proceed with this Node" {
				return true
			}
		}
		return false
	})
	if err := m.Errors(); err != nil {
		t.Fatal(err)
	}
}

func (m *machineTwin) pool(t *testing.T, name string) *unstructured.Unstructured {
	t.Helper()
	p, err := m.dyn.Resource(gvrMCP).Get(m.ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (m *machineTwin) patchPool(t *testing.T, name, patch string) {
	t.Helper()
	if _, err := m.dyn.Resource(gvrMCP).Patch(m.ctx, name, types.MergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
}

func (m *machineTwin) label(t *testing.T, node, label string) {
	t.Helper()
	patch := `{"metadata":{"labels":{"` + label + `":""}}}`
	if _, err := m.kube.CoreV1().Nodes().Patch(m.ctx, node, types.MergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
}

func conditionMessage(obj *unstructured.Unstructured, typ string) string {
	list, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	for _, c := range list {
		if m, ok := c.(map[string]any); ok && m["type"] == typ {
			s, _ := m["message"].(string)
			return s
		}
	}
	return ""
}

package twin

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// snapshotOf builds a snapshot from objects written as maps.
func snapshotOf(objs map[schema.GroupVersionResource][]map[string]any) *snapshot {
	s := &snapshot{items: map[schema.GroupVersionResource][]unstructured.Unstructured{}}
	for gvr, list := range objs {
		for _, o := range list {
			s.items[gvr] = append(s.items[gvr], unstructured.Unstructured{Object: o})
		}
	}
	return s
}

func poolObject(name string, nodeSelector map[string]any, roles ...string) map[string]any {
	p := object("machineconfiguration.openshift.io/v1", "MachineConfigPool", "", name)
	var values []any
	for _, r := range roles {
		values = append(values, r)
	}
	p["spec"] = map[string]any{
		"machineConfigSelector": map[string]any{"matchExpressions": []any{map[string]any{
			"key": roleSelectorLabel, "operator": "In", "values": values}}},
		"nodeSelector": nodeSelector,
	}
	return p
}

func matchRole(role string) map[string]any {
	return map[string]any{"matchLabels": map[string]any{roleLabelPrefix + role: ""}}
}

// canaryPools are the pools lowlat renders for pool cnf with a canary: cnf
// without its canary node, and cnf-canary with it, both selecting the
// worker and cnf configs.
func canaryPools() []map[string]any {
	held := matchRole("cnf")
	held["matchExpressions"] = []any{map[string]any{"key": roleLabelPrefix + "cnf-canary", "operator": "DoesNotExist"}}
	return []map[string]any{
		poolObject(masterRole, matchRole(masterRole), masterRole),
		poolObject(workerRole, matchRole(workerRole), workerRole),
		poolObject("cnf", held, workerRole, "cnf"),
		poolObject("cnf-canary", matchRole("cnf-canary"), workerRole, "cnf"),
	}
}

func nodeObject(name string, roles ...string) map[string]any {
	n := object("v1", "Node", "", name)
	labels := map[string]any{}
	for _, r := range roles {
		labels[roleLabelPrefix+r] = ""
	}
	n["metadata"].(map[string]any)["labels"] = labels
	return n
}

func machineConfig(name, role string, kernelArgs ...any) map[string]any {
	mc := object("machineconfiguration.openshift.io/v1", "MachineConfig", "", name)
	mc["metadata"].(map[string]any)["labels"] = map[string]any{roleSelectorLabel: role}
	mc["spec"] = map[string]any{"kernelArguments": kernelArgs}
	return mc
}

func TestPoolsSelectingTheSameConfigsRenderTheSameSuffix(t *testing.T) {
	s := snapshotOf(map[schema.GroupVersionResource][]map[string]any{
		gvrMCP: canaryPools(),
		gvrMachineConfig: {
			machineConfig("00-worker", workerRole), machineConfig("50-performance-cnf", "cnf", "nohz_full=2-47"),
			machineConfig("rendered-worker-0123", workerRole),
		},
	})
	names := map[string]string{}
	for i := range s.list(gvrMCP) {
		pool := &s.list(gvrMCP)[i]
		name, content, source := render(pool.GetName(), poolConfigs(s, pool))
		if !strings.HasPrefix(name, "rendered-"+pool.GetName()+"-") || !strings.HasPrefix(content, name[strings.LastIndex(name, "-")+1:]) {
			t.Errorf("pool %s renders %s with content %s: the name does not end with the content's hash", pool.GetName(), name, content)
		}
		if pool.GetName() != masterRole && len(source) == 0 {
			t.Errorf("pool %s renders from no configs", pool.GetName())
		}
		names[pool.GetName()] = name
	}
	suffix := func(pool string) string { return strings.TrimPrefix(names[pool], "rendered-"+pool+"-") }
	if suffix("cnf") != suffix("cnf-canary") {
		t.Errorf("cnf renders %s and cnf-canary %s: the same configs must give the same suffix", names["cnf"], names["cnf-canary"])
	}
	if suffix("cnf") == suffix(workerRole) {
		t.Errorf("cnf renders %s, the worker pool's content, though it adds a kernel argument", names["cnf"])
	}
}

func TestNodesJoinThePoolTheNodeControllerGivesThem(t *testing.T) {
	unguarded := poolObject("cnf", matchRole("cnf"), workerRole, "cnf")
	for _, tc := range []struct {
		name    string
		pools   []map[string]any
		node    map[string]any
		pool    string
		refused string
	}{
		{"a held node of a canary pool is in the held pool", canaryPools(), nodeObject("n", workerRole, "cnf"), "cnf", ""},
		{"the canary node is in the canary pool only", canaryPools(), nodeObject("n", workerRole, "cnf", "cnf-canary"), "cnf-canary", ""},
		{"a plain worker stays in the worker pool", canaryPools(), nodeObject("n", workerRole), workerRole, ""},
		{"a control-plane node in a custom pool stays a master", canaryPools(), nodeObject("n", masterRole, "cnf"), masterRole, ""},
		{
			"a node two custom pools select is refused", append(canaryPools()[:2], unguarded, canaryPools()[3]),
			nodeObject("n", workerRole, "cnf", "cnf-canary"), "", "node n belongs to 2 custom roles, cannot proceed with this Node",
		},
		{
			"a pool with an empty node selector selects nothing", []map[string]any{poolObject("all", map[string]any{}, workerRole)},
			nodeObject("n", workerRole), "", "",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := poolMembers(snapshotOf(map[schema.GroupVersionResource][]map[string]any{gvrMCP: tc.pools, gvrNode: {tc.node}}))
			var got []string
			for pool, nodes := range m.members {
				for range nodes {
					got = append(got, pool)
				}
			}
			if want := []string{tc.pool}; tc.pool == "" && len(got) != 0 || tc.pool != "" && (len(got) != 1 || got[0] != want[0]) {
				t.Errorf("node in pools %v, want %q", got, tc.pool)
			}
			if m.refused["n"] != tc.refused {
				t.Errorf("refused %q, want %q", m.refused["n"], tc.refused)
			}
		})
	}
}

func TestAPausedPoolSaysWhatItWillNotUpdateTo(t *testing.T) {
	for _, tc := range []struct {
		name              string
		done, paused      bool
		updated, updating condition
	}{
		{"a paused pool behind its target is neither updated nor updating", false, true,
			condition{"Updated", "False", "", "1 of 3 machines updated"},
			condition{"Updating", "False", "", "Pool is paused; will not update to MachineConfig rendered-cnf-abc"}},
		{"a paused pool on its target is updated", true, true,
			condition{"Updated", "True", "", "All nodes are updated with rendered-cnf-abc"},
			condition{"Updating", "False", "", "All nodes are updated with rendered-cnf-abc"}},
		{"an unpaused pool behind its target is updating", false, false,
			condition{"Updated", "False", "", "1 of 3 machines updated"},
			condition{"Updating", "True", "", "1 of 3 machines updated"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			updated, updating := updateConditions(1, 3, tc.done, tc.paused, "rendered-cnf-abc")
			if updated != tc.updated || updating != tc.updating {
				t.Errorf("got %v %v, want %v %v", updated, updating, tc.updated, tc.updating)
			}
		})
	}
}

// TestAnEmptyConfigLeavesTheRenderedContentAlone: lowlat's tuning marker
// (an Ignition config with its version only) is listed among the sources
// but merges into nothing, so the rendered name stays the same.
func TestAnEmptyConfigLeavesTheRenderedContentAlone(t *testing.T) {
	marker := object("machineconfiguration.openshift.io/v1", "MachineConfig", "", "99-lowlat-cnf-tuning-0123456789")
	marker["metadata"].(map[string]any)["labels"] = map[string]any{roleSelectorLabel: "cnf"}
	marker["spec"] = map[string]any{"config": map[string]any{"ignition": map[string]any{"version": "3.2.0"}}}
	configs := []map[string]any{machineConfig("00-worker", workerRole, "a=b"), machineConfig("50-performance-cnf", "cnf", "nohz_full=2-47")}
	name := func(mcs []map[string]any) (string, int) {
		s := snapshotOf(map[schema.GroupVersionResource][]map[string]any{gvrMCP: canaryPools(), gvrMachineConfig: mcs})
		for i := range s.list(gvrMCP) {
			if pool := &s.list(gvrMCP)[i]; pool.GetName() == "cnf" {
				n, _, source := render("cnf", poolConfigs(s, pool))
				return n, len(source)
			}
		}
		t.Fatal("no pool cnf")
		return "", 0
	}
	without, n := name(configs)
	with, m := name(append(configs, marker))
	if with != without || m != n+1 {
		t.Errorf("with the marker %s from %d configs, without %s from %d: want the same name, one source more", with, m, without, n)
	}
}

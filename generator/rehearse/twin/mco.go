package twin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// Node annotations the Machine Config Daemon keeps
// (openshift/machine-config-operator pkg/daemon/constants).
const (
	currentConfigAnnotation = "machineconfiguration.openshift.io/currentConfig"
	desiredConfigAnnotation = "machineconfiguration.openshift.io/desiredConfig"
	mcdStateAnnotation      = "machineconfiguration.openshift.io/state"
)

// mco plays the Machine Config Operator: the render controller merges a
// pool's MachineConfigs into rendered-<pool>-<hash of the content> after
// the render duration, the kubelet-config controller turns a KubeletConfig
// into 99-<pool>-generated-kubelet, and the node controller rolls the
// target out to at most maxUnavailable nodes at a time (default 1):
// cordon, drain, reboot, uncordon. Pool membership is worked out every
// tick, so a node that joins later (from a MachineSet, on the worker pool's
// config) moves to the custom pool that selects it like any other; a node
// that two custom pools select is in neither (mco_pools.go). A paused pool
// is still rendered, but its nodes stay where they are until it is
// unpaused. A node whose new config has the same content as its current
// one (it only changed pools) updates without a reboot, as the daemon
// finds nothing to apply. A node named in the lost-node fault never comes
// back from its reboot.
type mco struct {
	t *Twin

	mu       sync.Mutex
	content  map[string]string        // rendered config → content hash
	pending  map[string]pendingRender // pool → render waiting for its delay
	updating map[string]*nodeUpdate   // node → update in flight
	refused  map[string]string        // node → why no pool takes it
	held     map[string]string        // paused pool → the config it holds back
}

type pendingRender struct {
	name  string
	since time.Duration
}

// nodeUpdate is one node's way from its current to its desired config.
type nodeUpdate struct {
	pool, target string
	stage        string // draining, rebooting
	until        time.Duration
}

func newMCO(t *Twin) *mco {
	return &mco{t: t, content: map[string]string{}, pending: map[string]pendingRender{}, updating: map[string]*nodeUpdate{},
		refused: map[string]string{}, held: map[string]string{}}
}

func (m *mco) name() string { return "machine-config" }

func (m *mco) reconcile(ctx context.Context, s *snapshot) error {
	if err := m.kubeletConfigs(ctx, s); err != nil {
		return err
	}
	pools := poolMembers(s)
	m.recordRefused(pools.refused)
	for i := range s.list(gvrMCP) {
		pool := &s.list(gvrMCP)[i]
		if err := m.pool(ctx, s, pool, pools.members[pool.GetName()]); err != nil {
			return err
		}
	}
	return nil
}

// poolConfigs are the MachineConfigs a pool selects (rendered ones aside),
// sorted by name as the render controller merges them.
func poolConfigs(s *snapshot, pool *unstructured.Unstructured) []*unstructured.Unstructured {
	sel, err := selectorAt(pool.Object, "spec", "machineConfigSelector")
	if err != nil || sel == nil {
		return nil
	}
	var out []*unstructured.Unstructured
	for i := range s.list(gvrMachineConfig) {
		mc := &s.list(gvrMachineConfig)[i]
		if strings.HasPrefix(mc.GetName(), "rendered-") {
			continue
		}
		if sel.Matches(labels.Set(mc.GetLabels())) {
			out = append(out, mc)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].GetName() < out[j].GetName() })
	return out
}

// render names the merged config of mcs and returns its content hash.
// The name is rendered-<pool>-<hash of the content only>, as the render
// controller names it (openshift/machine-config-operator release-4.20
// pkg/controller/render/hash.go getMachineConfigHashedName hashes the
// merged spec, not the names of its sources), so two pools that select the
// same MachineConfigs render names with the same suffix. The content is
// the specs in name order, the twin's stand-in for the merge.
func render(pool string, mcs []*unstructured.Unstructured) (name, content string, source []any) {
	specs := sha256.New()
	for _, mc := range mcs {
		if contributes(mc) {
			spec, _ := json.Marshal(mc.Object["spec"])
			specs.Write(spec)
		}
		source = append(source, map[string]any{"apiVersion": "machineconfiguration.openshift.io/v1", "kind": "MachineConfig", "name": mc.GetName()})
	}
	content = hex.EncodeToString(specs.Sum(nil))
	return "rendered-" + pool + "-" + content[:32], content, source
}

// contributes reports whether a machine config changes the merged config:
// one whose Ignition config holds its version only, and that sets nothing
// else, merges into nothing (machine-config-operator release-4.20
// pkg/controller/common/helpers.go MergeMachineConfigs), so the rendered
// content, and its name, stay the same with or without it.
func contributes(mc *unstructured.Unstructured) bool {
	spec, _ := mc.Object["spec"].(map[string]any)
	for k, v := range spec {
		if k != "config" {
			if v != nil && fmt.Sprint(v) != "" && fmt.Sprint(v) != "[]" && fmt.Sprint(v) != "false" {
				return true
			}
			continue
		}
		cfg, _ := v.(map[string]any)
		for ck := range cfg {
			if ck != "ignition" {
				return true
			}
		}
	}
	return false
}

func (m *mco) pool(ctx context.Context, s *snapshot, pool *unstructured.Unstructured, nodes []*unstructured.Unstructured) error {
	target, configuration, err := m.renderPool(ctx, s, pool)
	if err != nil || target == "" {
		return err
	}
	paused, _, _ := unstructured.NestedBool(pool.Object, "spec", "paused")
	if err := m.rollout(ctx, pool, target, nodes, paused); err != nil {
		return err
	}
	return m.poolStatus(ctx, pool, nodes, target, configuration, paused)
}

// renderPool plays the render controller for one pool, paused or not:
// once the render duration has passed since its configs changed, it
// writes the new rendered config and points spec.configuration at it; a
// change of sources that leaves the content alone only updates
// spec.configuration.source (pkg/controller/render/render_controller.go
// syncGeneratedMachineConfig). It returns the pool's target and the
// configuration status reports once every node runs it.
func (m *mco) renderPool(ctx context.Context, s *snapshot, pool *unstructured.Unstructured) (string, map[string]any, error) {
	name := pool.GetName()
	now := m.t.clock.Elapsed()
	target := mustString(pool.Object, "spec", "configuration", "name")
	want, content, source := render(name, poolConfigs(s, pool))
	switch {
	case len(source) > 0 && want == target && !sameSources(pool, source):
		if err := m.setConfiguration(ctx, name, want, source); err != nil {
			return "", nil, err
		}
	case len(source) > 0 && want != target:
		m.mu.Lock()
		p, ok := m.pending[name]
		if !ok || p.name != want {
			p = pendingRender{name: want, since: now}
			m.pending[name] = p
		}
		m.mu.Unlock()
		if now < p.since+m.t.spec.Durations.Render {
			break
		}
		if err := m.writeRendered(ctx, want, source); err != nil {
			return "", nil, err
		}
		m.mu.Lock()
		m.content[want] = content
		m.mu.Unlock()
		if err := m.setConfiguration(ctx, name, want, source); err != nil {
			return "", nil, err
		}
		m.t.rec.Add(timeline.Event{Kind: timeline.Node, Pool: name, Resource: "MachineConfigPool " + name, Status: "Rendered", Message: fmt.Sprintf("%s from %d configs", want, len(source))})
		target = want
	}
	if target == "" {
		return "", nil, nil
	}
	m.mu.Lock()
	if _, ok := m.content[target]; !ok {
		m.content[target] = content
	}
	m.mu.Unlock()
	configuration := map[string]any{"name": target, "source": source}
	if target != want {
		configuration, _, _ = unstructured.NestedMap(pool.Object, "spec", "configuration")
	}
	return target, configuration, nil
}

func (m *mco) setConfiguration(ctx context.Context, pool, name string, source []any) error {
	spec := object("machineconfiguration.openshift.io/v1", "MachineConfigPool", "", pool)
	spec["spec"] = map[string]any{"configuration": map[string]any{"name": name, "source": source}}
	return m.t.apply(ctx, m.name(), gvrMCP, spec)
}

// sameSources reports whether the pool's spec.configuration.source names
// the configs of source.
func sameSources(pool *unstructured.Unstructured, source []any) bool {
	have, _, _ := unstructured.NestedSlice(pool.Object, "spec", "configuration", "source")
	if len(have) != len(source) {
		return false
	}
	for i := range have {
		a, _ := have[i].(map[string]any)
		if a["name"] != source[i].(map[string]any)["name"] {
			return false
		}
	}
	return true
}

// rollout plays the node controller for one pool: it starts a node's
// update while fewer than maxUnavailable nodes are unavailable. A paused
// pool's nodes are left where they are (pkg/controller/node/
// node_controller.go syncMachineConfigPool: a paused pool only has its
// status synced); a node already on its way finishes, as its daemon does.
func (m *mco) rollout(ctx context.Context, pool *unstructured.Unstructured, target string, nodes []*unstructured.Unstructured, paused bool) error {
	maxUnavailable := maxUnavailableOf(pool, len(nodes))
	unavailable := 0
	for _, n := range nodes {
		if m.busy(n.GetName()) || !nodeReady(n) {
			unavailable++
		}
	}
	for _, n := range nodes {
		started, err := m.node(ctx, n, pool.GetName(), target, paused, unavailable < maxUnavailable)
		if err != nil {
			return err
		}
		if started {
			unavailable++
		}
	}
	return nil
}

func maxUnavailableOf(pool *unstructured.Unstructured, nodes int) int {
	raw, found, _ := unstructured.NestedFieldNoCopy(pool.Object, "spec", "maxUnavailable")
	if !found {
		return 1
	}
	var v intstr.IntOrString
	switch x := raw.(type) {
	case int64:
		v = intstr.FromInt32(int32(x))
	case string:
		v = intstr.FromString(x)
	}
	n, err := intstr.GetScaledValueFromIntOrPercent(&v, nodes, false)
	if err != nil || n < 1 {
		return 1
	}
	return n
}

func (m *mco) busy(node string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.updating[node] != nil
}

func (m *mco) writeRendered(ctx context.Context, name string, source []any) error {
	mc := object("machineconfiguration.openshift.io/v1", "MachineConfig", "", name)
	mc["metadata"].(map[string]any)["annotations"] = map[string]any{"machineconfiguration.openshift.io/generated-by-controller-version": "lowlat-twin"}
	mc["spec"] = map[string]any{"config": map[string]any{"ignition": map[string]any{"version": "3.5.0"}}}
	return m.t.apply(ctx, m.name(), gvrMachineConfig, mc)
}

// node moves one node toward target; held leaves a node that is not on its
// way yet where it is. started reports that it took one of the pool's
// unavailable slots this tick.
func (m *mco) node(ctx context.Context, n *unstructured.Unstructured, pool, target string, held, mayStart bool) (bool, error) {
	name := n.GetName()
	ann := n.GetAnnotations()
	current := ann[currentConfigAnnotation]
	now := m.t.clock.Elapsed()
	m.mu.Lock()
	u := m.updating[name]
	sameContent := current != "" && m.content[current] == m.content[target]
	m.mu.Unlock()
	d := m.t.spec.Durations
	switch {
	case u == nil && (current == target || held):
		return false, nil
	case u == nil && (current == "" || sameContent):
		// Nothing to apply: first config of a new node, or the same content
		// under a new pool's name.
		return false, m.t.annotateConfig(ctx, name, target, target, "Done")
	case u == nil && !mayStart:
		return false, nil
	case u == nil:
		m.mu.Lock()
		m.updating[name] = &nodeUpdate{pool: pool, target: target, stage: "draining", until: now + d.Drain}
		m.mu.Unlock()
		m.t.rec.Add(timeline.Event{Kind: timeline.Drain, Pool: pool, Resource: "Node " + name, Status: "Draining", Message: "cordoned for " + target})
		if err := m.cordon(ctx, name, true); err != nil {
			return true, err
		}
		return true, m.t.annotateConfig(ctx, name, current, target, "Working")
	case now < u.until:
		return false, nil
	case u.stage == "draining":
		m.mu.Lock()
		u.stage, u.until = "rebooting", now+d.Reboot
		m.mu.Unlock()
		m.t.rec.Add(timeline.Event{Kind: timeline.Reboot, Pool: pool, Resource: "Node " + name, Status: "Rebooting", Message: "into " + u.target})
		return false, m.t.kubelet.setReady(ctx, name, false)
	case m.t.spec.Faults.lost(name):
		m.mu.Lock()
		lost := u.stage == "lost"
		u.stage = "lost"
		m.mu.Unlock()
		if !lost {
			m.t.rec.Add(timeline.Event{Kind: timeline.Fault, Pool: pool, Resource: "Node " + name, Status: "NotReady", Message: "fault: the node does not come back from its reboot"})
		}
		return false, nil
	default:
		m.mu.Lock()
		delete(m.updating, name)
		m.mu.Unlock()
		if err := m.t.annotateConfig(ctx, name, u.target, u.target, "Done"); err != nil {
			return false, err
		}
		if err := m.t.kubelet.setReady(ctx, name, true); err != nil {
			return false, err
		}
		m.t.rec.Add(timeline.Event{Kind: timeline.Node, Pool: pool, Resource: "Node " + name, Status: "Ready", Message: "runs " + u.target})
		return false, m.cordon(ctx, name, false)
	}
}

// annotateConfig writes the Machine Config Daemon's annotations of a node:
// the config it runs, the one it is to run, and its state.
func (t *Twin) annotateConfig(ctx context.Context, node, current, desired, state string) error {
	n := object("v1", "Node", "", node)
	n["metadata"].(map[string]any)["annotations"] = map[string]any{
		currentConfigAnnotation: current, desiredConfigAnnotation: desired, mcdStateAnnotation: state,
	}
	return t.apply(ctx, "machine-config-daemon", gvrNode, n)
}

func (m *mco) cordon(ctx context.Context, node string, on bool) error {
	n := object("v1", "Node", "", node)
	n["spec"] = map[string]any{"unschedulable": on}
	return m.t.apply(ctx, "machine-config-daemon-drain", gvrNode, n)
}

func nodeReady(n *unstructured.Unstructured) bool {
	return conditionStatus(n, "Ready") == "True"
}

// lost reports whether the lost-node fault names node.
func (f Faults) lost(node string) bool {
	for _, n := range f.LostNode {
		if n == node {
			return true
		}
	}
	return false
}

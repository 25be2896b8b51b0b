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

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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
// pool's MachineConfigs into rendered-<pool>-<hash> after the render
// duration, the kubelet-config controller turns a KubeletConfig into
// 99-<pool>-generated-kubelet, and the node controller rolls the target
// out to at most maxUnavailable nodes at a time (default 1): cordon, drain,
// reboot, uncordon. Pool membership is worked out every tick, so a node
// that joins later (from a MachineSet, on the worker pool's config) moves
// to the custom pool that selects it like any other. A node whose new
// config has the same content as its current one (it only changed pools)
// updates without a reboot, as the daemon finds nothing to apply. A node
// named in the lost-node fault never comes back from its reboot.
type mco struct {
	t *Twin

	mu       sync.Mutex
	content  map[string]string        // rendered config → content hash
	pending  map[string]pendingRender // pool → render waiting for its delay
	updating map[string]*nodeUpdate   // node → update in flight
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
	return &mco{t: t, content: map[string]string{}, pending: map[string]pendingRender{}, updating: map[string]*nodeUpdate{}}
}

func (m *mco) name() string { return "machine-config" }

func (m *mco) reconcile(ctx context.Context, s *snapshot) error {
	if err := m.kubeletConfigs(ctx, s); err != nil {
		return err
	}
	members := poolMembers(s)
	for i := range s.list(gvrMCP) {
		pool := &s.list(gvrMCP)[i]
		if err := m.pool(ctx, s, pool, members[pool.GetName()]); err != nil {
			return err
		}
	}
	return nil
}

// poolMembers assigns each node to one pool: a custom pool's node leaves
// the worker pool, as the MCO allows a node in worker plus one custom pool.
func poolMembers(s *snapshot) map[string][]*unstructured.Unstructured {
	out := map[string][]*unstructured.Unstructured{}
	for i := range s.list(gvrNode) {
		node := &s.list(gvrNode)[i]
		var pools []string
		for _, p := range s.list(gvrMCP) {
			sel, err := selectorAt(p.Object, "spec", "nodeSelector")
			if err == nil && sel != nil && sel.Matches(labels.Set(node.GetLabels())) {
				pools = append(pools, p.GetName())
			}
		}
		if len(pools) > 1 {
			pools = without(pools, workerRole)
		}
		if len(pools) == 1 {
			out[pools[0]] = append(out[pools[0]], node)
		}
	}
	return out
}

func without(list []string, drop string) []string {
	var out []string
	for _, s := range list {
		if s != drop {
			out = append(out, s)
		}
	}
	return out
}

// selectorAt reads a metav1.LabelSelector field; nil when absent.
func selectorAt(obj map[string]any, fields ...string) (labels.Selector, error) {
	raw, found, _ := unstructured.NestedMap(obj, fields...)
	if !found {
		return nil, nil
	}
	var ls metav1.LabelSelector
	data, _ := json.Marshal(raw)
	if err := json.Unmarshal(data, &ls); err != nil {
		return nil, err
	}
	return metav1.LabelSelectorAsSelector(&ls)
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

// render names the merged config of mcs and returns its content hash; the
// name hashes the sources and their content, the content hash only what a
// node would apply.
func render(pool string, mcs []*unstructured.Unstructured) (name, content string, source []any) {
	names, specs := sha256.New(), sha256.New()
	for _, mc := range mcs {
		spec, _ := json.Marshal(mc.Object["spec"])
		names.Write([]byte(mc.GetName()))
		names.Write(spec)
		specs.Write(spec)
		source = append(source, map[string]any{"apiVersion": "machineconfiguration.openshift.io/v1", "kind": "MachineConfig", "name": mc.GetName()})
	}
	return "rendered-" + pool + "-" + hex.EncodeToString(names.Sum(nil))[:32], hex.EncodeToString(specs.Sum(nil)), source
}

func (m *mco) pool(ctx context.Context, s *snapshot, pool *unstructured.Unstructured, nodes []*unstructured.Unstructured) error {
	name := pool.GetName()
	now := m.t.clock.Elapsed()
	target := mustString(pool.Object, "spec", "configuration", "name")
	want, content, source := render(name, poolConfigs(s, pool))
	if len(source) > 0 && want != target {
		m.mu.Lock()
		p, ok := m.pending[name]
		if !ok || p.name != want {
			p = pendingRender{name: want, since: now}
			m.pending[name] = p
		}
		m.mu.Unlock()
		if now >= p.since+m.t.spec.Durations.Render {
			if err := m.writeRendered(ctx, want, source); err != nil {
				return err
			}
			m.mu.Lock()
			m.content[want] = content
			m.mu.Unlock()
			spec := object("machineconfiguration.openshift.io/v1", "MachineConfigPool", "", name)
			spec["spec"] = map[string]any{"configuration": map[string]any{"name": want, "source": source}}
			if err := m.t.apply(ctx, m.name(), gvrMCP, spec); err != nil {
				return err
			}
			m.t.rec.Add(timeline.Event{Kind: timeline.Node, Pool: name, Resource: "MachineConfigPool " + name, Status: "Rendered", Message: fmt.Sprintf("%s from %d configs", want, len(source))})
			target = want
		}
	}
	if target == "" {
		return nil
	}
	m.mu.Lock()
	if _, ok := m.content[target]; !ok {
		m.content[target] = content
	}
	m.mu.Unlock()
	maxUnavailable := maxUnavailableOf(pool, len(nodes))
	unavailable := 0
	for _, n := range nodes {
		if m.busy(n.GetName()) || !nodeReady(n) {
			unavailable++
		}
	}
	for _, n := range nodes {
		started, err := m.node(ctx, n, name, target, unavailable < maxUnavailable)
		if err != nil {
			return err
		}
		if started {
			unavailable++
		}
	}
	configuration := map[string]any{"name": target, "source": source}
	if target != want {
		configuration, _, _ = unstructured.NestedMap(pool.Object, "spec", "configuration")
	}
	return m.poolStatus(ctx, pool, nodes, target, configuration)
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

// node moves one node toward target; started reports that it took one of
// the pool's unavailable slots this tick.
func (m *mco) node(ctx context.Context, n *unstructured.Unstructured, pool, target string, mayStart bool) (bool, error) {
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
	case u == nil && current == target:
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

// poolStatus reports the pool's machine counts and conditions; once every
// node runs target, status.configuration is the target's configuration.
func (m *mco) poolStatus(ctx context.Context, pool *unstructured.Unstructured, nodes []*unstructured.Unstructured, target string, configuration map[string]any) error {
	var updated, ready, unavailable int
	for _, n := range nodes {
		cur := n.GetAnnotations()[currentConfigAnnotation]
		ok := nodeReady(n) && !m.busy(n.GetName())
		if cur == target && !m.busy(n.GetName()) {
			updated++
			if ok {
				ready++
			}
		}
		if !ok {
			unavailable++
		}
	}
	done := updated == len(nodes) && ready == len(nodes)
	st := map[string]any{
		"observedGeneration": pool.GetGeneration(),
		"machineCount":       int64(len(nodes)), "updatedMachineCount": int64(updated),
		"readyMachineCount": int64(ready), "unavailableMachineCount": int64(unavailable), "degradedMachineCount": int64(0),
	}
	if done && configuration != nil {
		st["configuration"] = configuration
	} else if cur, found, _ := unstructured.NestedMap(pool.Object, "status", "configuration"); found {
		st["configuration"] = cur
	}
	updatedStatus, updatingStatus := "False", "True"
	msg := fmt.Sprintf("%d of %d machines updated", updated, len(nodes))
	if done {
		updatedStatus, updatingStatus = "True", "False"
		msg = "All nodes are updated with " + target
	}
	st["conditions"] = m.t.conditions(pool,
		condition{"Updated", updatedStatus, "", msg},
		condition{"Updating", updatingStatus, "", msg},
		condition{"Degraded", "False", "", ""},
		condition{"NodeDegraded", "False", "", ""},
		condition{"RenderDegraded", "False", "", ""})
	obj := object("machineconfiguration.openshift.io/v1", "MachineConfigPool", "", pool.GetName())
	obj["status"] = st
	if sameStatus(pool, st) {
		return nil
	}
	return m.t.applyStatus(ctx, m.name(), gvrMCP, obj)
}

// sameStatus reports whether old's status already says what st says, so
// an unchanged status is not written again every tick.
func sameStatus(old *unstructured.Unstructured, st map[string]any) bool {
	prev, _ := old.Object["status"].(map[string]any)
	if prev == nil {
		return false
	}
	a, _ := json.Marshal(st)
	trimmed := map[string]any{}
	for k := range st {
		trimmed[k] = prev[k]
	}
	b, _ := json.Marshal(trimmed)
	return string(a) == string(b)
}

// kubeletConfigs turns each KubeletConfig into the MachineConfig of the
// pools it selects, as the MCO's kubelet-config controller does.
func (m *mco) kubeletConfigs(ctx context.Context, s *snapshot) error {
	for _, kc := range s.list(gvrKubeletConfig) {
		sel, err := selectorAt(kc.Object, "spec", "machineConfigPoolSelector")
		if err != nil || sel == nil {
			continue
		}
		for _, pool := range s.list(gvrMCP) {
			if !sel.Matches(labels.Set(pool.GetLabels())) {
				continue
			}
			name := "99-" + pool.GetName() + "-generated-kubelet"
			mc := object("machineconfiguration.openshift.io/v1", "MachineConfig", "", name)
			mc["metadata"].(map[string]any)["labels"] = map[string]any{roleSelectorLabel: pool.GetName()}
			spec, _ := json.Marshal(kc.Object["spec"])
			mc["spec"] = map[string]any{"config": map[string]any{"ignition": map[string]any{"version": "3.5.0"},
				"storage": map[string]any{"files": []any{map[string]any{"path": "/etc/kubernetes/kubelet.conf",
					"contents": map[string]any{"source": "data:," + hex.EncodeToString(sha256Sum(spec))}}}}}}
			if old := s.get(gvrMachineConfig, "", name); old != nil && sameSpec(old, mc) {
				continue
			}
			if err := m.t.apply(ctx, "kubelet-config", gvrMachineConfig, mc); err != nil {
				return err
			}
		}
	}
	return nil
}

func sha256Sum(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

func sameSpec(old *unstructured.Unstructured, obj map[string]any) bool {
	a, _ := json.Marshal(old.Object["spec"])
	b, _ := json.Marshal(obj["spec"])
	return string(a) == string(b)
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

package twin

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// nto plays the Node Tuning Operator's performance profile controller
// (openshift/cluster-node-tuning-operator pkg/performanceprofile):
//
//   - the profile's pool is the one MachineConfigPool whose node selector
//     matches the profile's node selector (profilePool); none or several
//     make the profile Degraded (GettingMachineConfigPoolFailed) and
//     nothing is generated for it, and a pool whose
//     machine config selector does not take the profile's machine config
//     label makes it Degraded (BadMachineConfigLabels);
//   - otherwise it writes MachineConfig 50-performance-<name>, KubeletConfig
//     performance-<name> and RuntimeClass performance-<name>, and reports
//     Available as soon as they exist, not when the pool has rolled them
//     out (status/writer.go); a pool that is degraded makes it Degraded
//     (MCPDegraded).
type nto struct {
	t *Twin

	mu       sync.Mutex
	reported map[string]string
}

func newNTO(t *Twin) *nto { return &nto{t: t, reported: map[string]string{}} }

func (n *nto) name() string { return "node-tuning" }

func (n *nto) reconcile(ctx context.Context, s *snapshot) error {
	for i := range s.list(gvrProfile) {
		if err := n.profile(ctx, s, &s.list(gvrProfile)[i]); err != nil {
			return err
		}
	}
	return nil
}

func (n *nto) profile(ctx context.Context, s *snapshot, p *unstructured.Unstructured) error {
	nodeSelector := stringMap(p.Object, "spec", "nodeSelector")
	pool, err := profilePool(s, nodeSelector)
	if err != nil {
		return n.degraded(ctx, p, "GettingMachineConfigPoolFailed", err.Error())
	}
	mcLabels := machineConfigLabel(p)
	if sel, err := selectorAt(pool.Object, "spec", "machineConfigSelector"); err != nil || sel == nil || !sel.Matches(labels.Set(mcLabels)) {
		return n.degraded(ctx, p, "BadMachineConfigLabels", fmt.Sprintf("the machine config labels %v generated from the profile.spec.nodeSelector %v do not match the MachineConfigPool %q machineConfigSelector", mcLabels, nodeSelector, pool.GetName()))
	}
	if err := n.components(ctx, s, p, mcLabels); err != nil {
		return err
	}
	if conditionStatus(pool, "NodeDegraded") == "True" || conditionStatus(pool, "RenderDegraded") == "True" {
		return n.degraded(ctx, p, "MCPDegraded", "Machine config pool "+pool.GetName()+" is degraded")
	}
	return n.write(ctx, p, "Available", "", map[string]any{"runtimeClass": performanceComponent(p.GetName()),
		"tuned": "openshift-cluster-node-tuning-operator/openshift-node-" + performanceComponent(p.GetName())},
		condition{"Available", "True", "", ""}, condition{"Upgradeable", "True", "", ""},
		condition{"Progressing", "False", "", ""}, condition{"Degraded", "False", "", ""})
}

func (n *nto) degraded(ctx context.Context, p *unstructured.Unstructured, reason, msg string) error {
	return n.write(ctx, p, reason, msg, nil,
		condition{"Available", "False", "", ""}, condition{"Upgradeable", "False", "", ""},
		condition{"Progressing", "False", "", ""}, condition{"Degraded", "True", reason, msg})
}

func (n *nto) write(ctx context.Context, p *unstructured.Unstructured, state, msg string, extra map[string]any, conds ...condition) error {
	key := p.GetName()
	n.mu.Lock()
	changed := n.reported[key] != state
	n.reported[key] = state
	n.mu.Unlock()
	if !changed && p.Object["status"] != nil {
		return nil
	}
	status := "Available"
	if state != "Available" {
		status = "Degraded"
	}
	n.t.rec.Add(timeline.Event{Kind: timeline.Operator, Resource: "PerformanceProfile " + key, Status: status, Message: strings.TrimSpace(state + " " + msg)})
	st := map[string]any{"conditions": n.t.conditions(p, conds...)}
	for k, v := range extra {
		st[k] = v
	}
	obj := object("performance.openshift.io/v2", "PerformanceProfile", "", key)
	obj["status"] = st
	return n.t.applyStatus(ctx, n.name(), gvrProfile, obj)
}

// profilePool finds a profile's MachineConfigPool as the Node Tuning
// Operator does (openshift/cluster-node-tuning-operator release-4.20
// pkg/performanceprofile/controller/performanceprofile/resources/resources.go
// GetMachineConfigPoolByProfile): the pools whose spec.nodeSelector, as a
// selector, matches the profile's nodeSelector taken as a label set. A pool
// without a node selector is skipped; an empty one matches every profile.
// A canary's layout passes: pool P selects node-role P without the
// P-canary role, which the profile's label set lacks, and pool P-canary
// wants the P-canary role, which it does not carry.
func profilePool(s *snapshot, nodeSelector map[string]string) (*unstructured.Unstructured, error) {
	set := labels.Set(nodeSelector)
	var pools []*unstructured.Unstructured
	for i := range s.list(gvrMCP) {
		pool := &s.list(gvrMCP)[i]
		sel, err := selectorAt(pool.Object, "spec", "nodeSelector")
		if err != nil {
			return nil, err
		}
		if sel != nil && sel.Matches(set) {
			pools = append(pools, pool)
		}
	}
	switch {
	case len(pools) == 0:
		return nil, fmt.Errorf("failed to find MCP with the node selector that matches labels %q", set.String())
	case len(pools) > 1:
		return nil, fmt.Errorf("more than one MCP found that matches performance profile node selector %q", set.String())
	}
	return pools[0], nil
}

// machineConfigLabel is spec.machineConfigLabel, or the role label derived
// from the node-role label of the node selector (profileutil.GetMachineConfigLabel).
func machineConfigLabel(p *unstructured.Unstructured) map[string]string {
	if l := stringMap(p.Object, "spec", "machineConfigLabel"); len(l) > 0 {
		return l
	}
	for k := range stringMap(p.Object, "spec", "nodeSelector") {
		if role, ok := strings.CutPrefix(k, roleLabelPrefix); ok {
			return map[string]string{roleSelectorLabel: role}
		}
	}
	return nil
}

// components writes what the profile turns into: kernel arguments and
// hugepages in a MachineConfig, reserved CPUs in a KubeletConfig, and the
// RuntimeClass pods ask for.
func (n *nto) components(ctx context.Context, s *snapshot, p *unstructured.Unstructured, mcLabels map[string]string) error {
	name := performanceComponent(p.GetName())
	isolated := mustString(p.Object, "spec", "cpu", "isolated")
	reserved := mustString(p.Object, "spec", "cpu", "reserved")
	args := []any{"nohz_full=" + isolated, "rcu_nocbs=" + isolated, "tuned.non_isolcpus=" + reserved, "systemd.cpu_affinity=" + reserved, "intel_iommu=on", "iommu=pt"}
	if size := mustString(p.Object, "spec", "hugepages", "defaultHugepagesSize"); size != "" {
		args = append(args, "default_hugepagesz="+size)
	}
	var pages []string
	list, _, _ := unstructured.NestedSlice(p.Object, "spec", "hugepages", "pages")
	for _, raw := range list {
		pg, _ := raw.(map[string]any)
		pages = append(pages, fmt.Sprint(pg["node"], ":", pg["size"], ":", pg["count"]))
	}
	sort.Strings(pages)
	rt, _, _ := unstructured.NestedBool(p.Object, "spec", "realTimeKernel", "enabled")
	kernelType := "default"
	if rt {
		kernelType = "realtime"
	}
	mc := object("machineconfiguration.openshift.io/v1", "MachineConfig", "", "50-"+name)
	mcl := map[string]any{}
	for k, v := range mcLabels {
		mcl[k] = v
	}
	mc["metadata"].(map[string]any)["labels"] = mcl
	mc["spec"] = map[string]any{"kernelArguments": args, "kernelType": kernelType,
		"config": map[string]any{"ignition": map[string]any{"version": "3.5.0"}, "storage": map[string]any{"files": []any{
			map[string]any{"path": "/etc/lowlat-twin/hugepages", "contents": map[string]any{"source": "data:," + strings.Join(pages, ",")}}}}}}
	if old := s.get(gvrMachineConfig, "", "50-"+name); old == nil || !sameSpec(old, mc) {
		if err := n.t.apply(ctx, n.name(), gvrMachineConfig, mc); err != nil {
			return err
		}
	}
	kc := object("machineconfiguration.openshift.io/v1", "KubeletConfig", "", name)
	kc["spec"] = map[string]any{
		"machineConfigPoolSelector": map[string]any{"matchLabels": toAny(stringMap(p.Object, "spec", "machineConfigPoolSelector"))},
		"kubeletConfig": map[string]any{"cpuManagerPolicy": "static", "reservedSystemCPUs": reserved,
			"topologyManagerPolicy": orDefault(mustString(p.Object, "spec", "numa", "topologyPolicy"), "best-effort"), "memoryManagerPolicy": "Static"},
	}
	if old := s.get(gvrKubeletConfig, "", name); old == nil || !sameSpec(old, kc) {
		if err := n.t.apply(ctx, n.name(), gvrKubeletConfig, kc); err != nil {
			return err
		}
	}
	if s.get(gvrRuntimeClass, "", name) == nil {
		rc := object("node.k8s.io/v1", "RuntimeClass", "", name)
		rc["handler"] = "high-performance"
		rc["scheduling"] = map[string]any{"nodeSelector": toAny(stringMap(p.Object, "spec", "nodeSelector"))}
		return n.t.apply(ctx, n.name(), gvrRuntimeClass, rc)
	}
	return nil
}

func toAny(m map[string]string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

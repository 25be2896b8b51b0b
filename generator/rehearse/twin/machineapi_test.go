//go:build e2e

package twin

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/e2e"
	"github.com/lowlat/lowlat/generator/rehearse/clock"
	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// machineSetSpeed runs the machine API test at 300 modelled seconds per
// real second: a provision of 10m takes 2 s, a tick is 30 modelled seconds.
const machineSetSpeed = 300

const cnfMachineSet = "lab1-x7k2p-cnf-us-east-2a"

// cnfMachineSetObject is a MachineSet as the installer writes a worker's,
// for the cnf pool: the nodes it makes carry the pool's role and taint.
func cnfMachineSetObject() *unstructured.Unstructured {
	selector := map[string]any{
		"machine.openshift.io/cluster-api-cluster":    "lab1-x7k2p",
		"machine.openshift.io/cluster-api-machineset": cnfMachineSet,
	}
	machine := map[string]any{
		"machine.openshift.io/cluster-api-machine-role": "cnf",
		"machine.openshift.io/cluster-api-machine-type": "cnf",
	}
	for k, v := range selector {
		machine[k] = v
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "machine.openshift.io/v1beta1", "kind": "MachineSet",
		"metadata": map[string]any{"name": cnfMachineSet, "namespace": machineAPINamespace,
			"labels": map[string]any{"machine.openshift.io/cluster-api-cluster": "lab1-x7k2p"}},
		"spec": map[string]any{
			"replicas": int64(2),
			"selector": map[string]any{"matchLabels": selector},
			"template": map[string]any{
				"metadata": map[string]any{"labels": machine},
				"spec": map[string]any{
					"metadata": map[string]any{"labels": map[string]any{"node-role.kubernetes.io/cnf": ""}},
					"taints":   []any{map[string]any{"key": "lowlat.dev/pool", "value": "cnf", "effect": "NoSchedule"}},
					"providerSpec": map[string]any{"value": map[string]any{
						"apiVersion": "machine.openshift.io/v1beta1", "kind": "AWSMachineProviderConfig",
						"instanceType": "c5.metal",
						"placement":    map[string]any{"availabilityZone": "us-east-2a", "region": "us-east-2"},
						"ami":          map[string]any{"id": "ami-0fc62c3c67a124a2d"},
					}},
				},
			},
		},
	}}
}

// machineTwin is a twin on a fresh API server whose spec has the cnf
// MachineSet's two nodes, the second named in the lost-node fault.
type machineTwin struct {
	*Twin
	ctx context.Context
	t0  time.Duration // modelled time the MachineSet was created
}

func startMachineTwin(t *testing.T) *machineTwin {
	t.Helper()
	c5, err := catalog.Lookup("c5.metal")
	if err != nil {
		t.Fatal(err)
	}
	spec := Spec{Cluster: "lab1", OpenShift: "4.20", Durations: DefaultDurations(), Faults: Faults{LostNode: []string{"lab1-cnf-1"}}}
	spec.Durations.Drain, spec.Durations.Reboot = time.Minute, 2*time.Minute
	for i := range 2 {
		spec.Nodes = append(spec.Nodes, NodeSpec{Name: nodeName("lab1", "cnf", i), Pool: "cnf", Role: "cnf", InstanceType: c5,
			Zone: "us-east-2a", MachineSet: cnfMachineSet, Interfaces: []Interface{{PCIAddress: pciAddress(0), MAC: mac(i, 0)}}})
	}
	return startTestTwin(t, spec, machineSetSpeed)
}

// startTestTwin installs a twin of spec on a fresh API server, its clock
// at speed; the caller runs it. Scripts run with the e2e tools' kubectl.
func startTestTwin(t *testing.T, spec Spec, speed float64) *machineTwin {
	t.Helper()
	bin, err := e2e.BinDir("../../..")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	cluster, err := e2e.Start(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cluster.Stop)
	spec.Kubectl = filepath.Join(bin, "kubectl")
	clk := clock.New(speed)
	tw, err := New(cluster.Config, spec, clk, timeline.New(clk))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tw.Close)
	if err := tw.Install(ctx); err != nil {
		t.Fatal(err)
	}
	return &machineTwin{Twin: tw, ctx: ctx}
}

// run runs the twin until the test ends.
func (m *machineTwin) run(t *testing.T) {
	t.Helper()
	runCtx, stop := context.WithCancel(m.ctx)
	done := make(chan struct{})
	go func() { m.Run(runCtx); close(done) }()
	t.Cleanup(func() { stop(); <-done })
}

// TestMachineSetMakesThePoolsNodes creates a MachineSet on a twin and
// follows its nodes: none until the provision duration has passed, then
// Ready nodes with the worker role, the pool's role, zone, instance type
// and taint, on the worker pool's config, which the MCO then moves to the
// pool's own (one of them is lost in that reboot); scaling down deletes
// the newest node, scaling up makes a new one.
func TestMachineSetMakesThePoolsNodes(t *testing.T) {
	m := startMachineTwin(t)
	if nodes := m.poolNodes(t); len(nodes) != 0 {
		t.Fatalf("nodes of a MachineSet exist before it is synced: %v", names(nodes))
	}
	m.createCnfPool(t)
	m.run(t)
	m.waitFor(t, "the worker pool's rendered config", func() bool {
		return m.servedWorkerConfig(t) != ""
	})
	worker := m.servedWorkerConfig(t)
	m.t0 = m.clock.Elapsed()
	if _, err := m.dyn.Resource(gvrMachineSet).Namespace(machineAPINamespace).Create(m.ctx, cnfMachineSetObject(), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	m.waitFor(t, "two machines provisioning", func() bool { return m.count(t, "replicas") == 2 })
	if nodes := m.poolNodes(t); len(nodes) != 0 || m.clock.Elapsed()-m.t0 >= m.spec.Durations.Provision {
		t.Fatalf("at %s after the MachineSet, nodes %v", m.clock.Elapsed()-m.t0, names(nodes))
	}
	if got := m.count(t, "readyReplicas"); got != 0 {
		t.Errorf("readyReplicas %d while the instances boot", got)
	}

	m.waitFor(t, "two ready machines", func() bool { return m.count(t, "readyReplicas") == 2 })
	if took := m.clock.Elapsed() - m.t0; took < m.spec.Durations.Provision {
		t.Errorf("nodes Ready %s after the MachineSet, before the provision duration %s", took, m.spec.Durations.Provision)
	}
	for _, field := range []string{"replicas", "fullyLabeledReplicas", "availableReplicas"} {
		if got := m.count(t, field); got != 2 {
			t.Errorf("status.%s %d, want 2", field, got)
		}
	}
	if got, want := m.count(t, "observedGeneration"), m.machineSet(t).GetGeneration(); got != want {
		t.Errorf("status.observedGeneration %d, want %d", got, want)
	}
	nodes := m.poolNodes(t)
	if strings.Join(names(nodes), " ") != "lab1-cnf-0 lab1-cnf-1" {
		t.Fatalf("nodes %v, want the spec's lab1-cnf-0 and lab1-cnf-1", names(nodes))
	}
	for _, n := range nodes {
		checkMachineNode(t, &n)
	}
	if got := m.joinedOn("lab1-cnf-0"); got != worker {
		t.Errorf("lab1-cnf-0 joined on %q, want the worker pool's %s", got, worker)
	}

	m.waitFor(t, "lab1-cnf-0 tuned and lab1-cnf-1 lost", func() bool {
		return m.currentConfig(t, "lab1-cnf-0") != worker && m.state(t, "lab1-cnf-0") == "Done" &&
			m.event(timeline.Fault, "Node lab1-cnf-1") && m.count(t, "readyReplicas") == 1
	})
	if cur := m.currentConfig(t, "lab1-cnf-0"); !strings.HasPrefix(cur, "rendered-cnf-") {
		t.Errorf("lab1-cnf-0 runs %s, want the cnf pool's config", cur)
	}
	if !m.event(timeline.Reboot, "Node lab1-cnf-0") {
		t.Error("lab1-cnf-0 moved to the cnf pool without a reboot")
	}

	m.scale(t, 1)
	m.waitFor(t, "one machine", func() bool {
		return m.count(t, "replicas") == 1 && m.count(t, "observedGeneration") == m.machineSet(t).GetGeneration() && len(m.poolNodes(t)) == 1
	})
	if got := names(m.poolNodes(t)); got[0] != "lab1-cnf-0" {
		t.Errorf("scaling down kept %v, want the oldest, lab1-cnf-0", got)
	}
	if got := m.count(t, "readyReplicas"); got != 1 {
		t.Errorf("readyReplicas %d, want 1", got)
	}

	m.scale(t, 2)
	m.waitFor(t, "a new machine's node tuned", func() bool {
		nodes := m.poolNodes(t)
		return len(nodes) == 2 && m.count(t, "readyReplicas") == 2 && strings.HasPrefix(m.currentConfig(t, nodes[1].Name), "rendered-cnf-")
	})
	added := m.poolNodes(t)[1]
	if !strings.HasPrefix(added.Name, cnfMachineSet+"-") {
		t.Errorf("the new machine's node is %s, want a new name after its MachineSet's", added.Name)
	}
	checkMachineNode(t, &added)
	if cpu := added.Status.Capacity.Cpu().Value(); cpu != 96 {
		t.Errorf("the new c5.metal node has %d CPUs, want 96", cpu)
	}

	rv := m.machineSet(t).GetResourceVersion()
	time.Sleep(5 * tick)
	if now := m.machineSet(t).GetResourceVersion(); now != rv {
		t.Errorf("the MachineSet's status is written again when nothing changed (%s → %s)", rv, now)
	}
	if err := m.Errors(); err != nil {
		t.Fatal(err)
	}
}

// checkMachineNode checks what the kubelet and nodelink put on a node of
// the cnf MachineSet.
func checkMachineNode(t *testing.T, n *corev1.Node) {
	t.Helper()
	for k, v := range map[string]string{
		"node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/cnf": "",
		zoneLabel: "us-east-2a", instanceTypeLabel: "c5.metal",
	} {
		if got, ok := n.Labels[k]; !ok || got != v {
			t.Errorf("node %s: label %s=%q, want %q", n.Name, k, got, v)
		}
	}
	want := corev1.Taint{Key: "lowlat.dev/pool", Value: "cnf", Effect: corev1.TaintEffectNoSchedule}
	if len(n.Spec.Taints) != 1 || n.Spec.Taints[0] != want {
		t.Errorf("node %s: taints %v, want %v", n.Name, n.Spec.Taints, want)
	}
	ready := false
	for _, c := range n.Status.Conditions {
		ready = ready || c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue
	}
	if !ready {
		t.Errorf("node %s is not Ready: %v", n.Name, n.Status.Conditions)
	}
}

// createCnfPool creates the cnf pool with a config of its own, as the
// tuning a rollout syncs would.
func (m *machineTwin) createCnfPool(t *testing.T) {
	t.Helper()
	pool := object("machineconfiguration.openshift.io/v1", "MachineConfigPool", "", "cnf")
	pool["spec"] = map[string]any{
		"machineConfigSelector": map[string]any{"matchExpressions": []any{map[string]any{
			"key": roleSelectorLabel, "operator": "In", "values": []any{workerRole, "cnf"}}}},
		"nodeSelector": map[string]any{"matchLabels": map[string]any{roleLabelPrefix + "cnf": ""}},
	}
	mc := object("machineconfiguration.openshift.io/v1", "MachineConfig", "", "50-cnf")
	mc["metadata"].(map[string]any)["labels"] = map[string]any{roleSelectorLabel: "cnf"}
	mc["spec"] = map[string]any{"config": map[string]any{"ignition": map[string]any{"version": "3.5.0"}}, "kernelArguments": []any{"nohz_full=2-47"}}
	if err := m.apply(m.ctx, "test", gvrMCP, pool); err != nil {
		t.Fatal(err)
	}
	if err := m.apply(m.ctx, "test", gvrMachineConfig, mc); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond until it holds, for at most a minute of real time.
func (m *machineTwin) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if err := m.Errors(); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s after %s modelled", what, m.clock.Elapsed()-m.t0)
		}
		time.Sleep(tick / 4)
	}
}

// poolNodes are the nodes with the cnf role, by name.
func (m *machineTwin) poolNodes(t *testing.T) []corev1.Node {
	t.Helper()
	list, err := m.kube.CoreV1().Nodes().List(m.ctx, metav1.ListOptions{LabelSelector: roleLabelPrefix + "cnf"})
	if err != nil {
		t.Fatal(err)
	}
	return list.Items
}

func names(nodes []corev1.Node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.Name)
	}
	return out
}

func (m *machineTwin) machineSet(t *testing.T) *unstructured.Unstructured {
	t.Helper()
	ms, err := m.dyn.Resource(gvrMachineSet).Namespace(machineAPINamespace).Get(m.ctx, cnfMachineSet, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// count reads a status field of the MachineSet; 0 when absent.
func (m *machineTwin) count(t *testing.T, field string) int64 {
	t.Helper()
	n, _, _ := unstructured.NestedInt64(m.machineSet(t).Object, "status", field)
	return n
}

func (m *machineTwin) scale(t *testing.T, replicas int) {
	t.Helper()
	patch := []byte(fmt.Sprintf(`{"spec":{"replicas":%d}}`, replicas))
	if _, err := m.dyn.Resource(gvrMachineSet).Namespace(machineAPINamespace).Patch(m.ctx, cnfMachineSet, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
}

func (m *machineTwin) servedWorkerConfig(t *testing.T) string {
	t.Helper()
	s, err := m.takeSnapshot(m.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return servedConfig(s, workerRole)
}

func (m *machineTwin) node(t *testing.T, name string) *corev1.Node {
	t.Helper()
	n, err := m.kube.CoreV1().Nodes().Get(m.ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (m *machineTwin) currentConfig(t *testing.T, node string) string {
	return m.node(t, node).Annotations[currentConfigAnnotation]
}

func (m *machineTwin) state(t *testing.T, node string) string {
	return m.node(t, node).Annotations[mcdStateAnnotation]
}

// joinedOn is the config a node joined on, as its join event says.
func (m *machineTwin) joinedOn(node string) string {
	for _, e := range m.rec.Events() {
		if e.Kind == timeline.Node && e.Resource == "Node "+node && e.Status == "Ready" {
			if _, cfg, ok := strings.Cut(e.Message, " on "); ok {
				return cfg
			}
		}
	}
	return ""
}

func (m *machineTwin) event(kind timeline.Kind, resource string) bool {
	for _, e := range m.rec.Events() {
		if e.Kind == kind && e.Resource == resource {
			return true
		}
	}
	return false
}

package twin

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
	"github.com/lowlat/lowlat/generator/topology"
)

// kubelet plays every node's kubelet and the scheduler: it reports node
// status (Ready unless rebooting; cpu, memory and hugepages as the tuning
// the node booted into leaves them allocatable; the SR-IOV device
// plugin's resources), binds pending pods to nodes where they fit, and
// runs their containers as programs the twin knows.
type kubelet struct {
	t *Twin

	mu       sync.Mutex
	down     map[string]bool              // node → rebooting
	devices  map[string]map[string]string // node → SR-IOV resource → count
	started  map[string]time.Duration     // pod uid → modelled start
	reported map[string]string            // pod uid → phase reported
}

func newKubelet(t *Twin) *kubelet {
	return &kubelet{t: t, down: map[string]bool{}, devices: map[string]map[string]string{}, started: map[string]time.Duration{}, reported: map[string]string{}}
}

func (k *kubelet) name() string { return "kubelet" }

// setReady marks a node up or down; the next tick reports it.
func (k *kubelet) setReady(_ context.Context, node string, ready bool) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.down[node] = !ready
	return nil
}

// setDevices sets the SR-IOV device plugin's resources of a node.
func (k *kubelet) setDevices(node string, devices map[string]string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.devices[node] = devices
}

func (k *kubelet) reconcile(ctx context.Context, s *snapshot) error {
	for i := range s.list(gvrNode) {
		if err := k.nodeStatus(ctx, s, &s.list(gvrNode)[i]); err != nil {
			return err
		}
	}
	return k.pods(ctx, s)
}

// tuning is what a performance profile leaves on a node once it runs the
// profile's machine config.
type tuning struct {
	profile   string
	reserved  int
	hugepages map[string]int64 // resource name → bytes
}

// nodeTuning finds the profile whose machine config is part of the
// rendered config the node runs.
func nodeTuning(s *snapshot, node *unstructured.Unstructured) *tuning {
	current := node.GetAnnotations()[currentConfigAnnotation]
	if current == "" {
		return nil
	}
	var source []any
	for _, p := range s.list(gvrMCP) {
		if mustString(p.Object, "spec", "configuration", "name") == current {
			source, _, _ = unstructured.NestedSlice(p.Object, "spec", "configuration", "source")
		}
	}
	for _, p := range s.list(gvrProfile) {
		mcName := "50-" + performanceComponent(p.GetName())
		for _, src := range source {
			if m, ok := src.(map[string]any); ok && m["name"] == mcName {
				return profileTuning(&p)
			}
		}
	}
	return nil
}

func profileTuning(p *unstructured.Unstructured) *tuning {
	tu := &tuning{profile: p.GetName(), hugepages: map[string]int64{}}
	if reserved := mustString(p.Object, "spec", "cpu", "reserved"); reserved != "" {
		if set, err := topology.ParseCPUSet(reserved); err == nil {
			tu.reserved = set.Len()
		}
	}
	pages, _, _ := unstructured.NestedSlice(p.Object, "spec", "hugepages", "pages")
	for _, raw := range pages {
		pg, _ := raw.(map[string]any)
		size, _ := pg["size"].(string)
		count, _ := pg["count"].(int64)
		q, err := resource.ParseQuantity(size + "i")
		if err != nil {
			continue
		}
		tu.hugepages[hugepageResource(size)] += count * q.Value()
	}
	return tu
}

func (k *kubelet) nodeStatus(ctx context.Context, s *snapshot, node *unstructured.Unstructured) error {
	name := node.GetName()
	cpus, memMiB := k.hardware(name)
	k.mu.Lock()
	ready := !k.down[name]
	devices := k.devices[name]
	k.mu.Unlock()
	status := nodeStatus(cpus, memMiB, devices, ready, k.t.clock.Now().UTC().Format(time.RFC3339))
	if tu := nodeTuning(s, node); tu != nil {
		capacity, allocatable := status["capacity"].(map[string]any), status["allocatable"].(map[string]any)
		allocatable["cpu"] = strconv.Itoa(cpus - tu.reserved)
		var total int64
		for res, bytes := range tu.hugepages {
			q := resource.NewQuantity(bytes, resource.BinarySI).String()
			capacity[res], allocatable[res] = q, q
			total += bytes
		}
		allocatable["memory"] = fmt.Sprintf("%dMi", memMiB-1024-total>>20)
	}
	if old, _ := node.Object["status"].(map[string]any); old != nil && sameResources(old, status) && conditionStatus(node, "Ready") == map[bool]string{true: "True", false: "False"}[ready] {
		return nil
	}
	obj := object("v1", "Node", "", name)
	obj["status"] = status
	return k.t.applyStatus(ctx, "kubelet", gvrNode, obj)
}

func sameResources(old, now map[string]any) bool {
	return fmt.Sprint(old["capacity"]) == fmt.Sprint(now["capacity"]) && fmt.Sprint(old["allocatable"]) == fmt.Sprint(now["allocatable"])
}

// hardware is a node's cpus and memory.
func (k *kubelet) hardware(node string) (int, int64) {
	if n, ok := k.t.nodeSpec(node); ok {
		return n.InstanceType.VCPUs, int64(n.InstanceType.MemoryGiB) << 10
	}
	for _, p := range platformNodes(k.t.spec.Cluster) {
		if p.name == node {
			return p.cpus, int64(p.memoryGiB) << 10
		}
	}
	return 4, 16 << 10
}

// pods schedules pending pods and advances bound ones.
func (k *kubelet) pods(ctx context.Context, s *snapshot) error {
	for i := range s.list(gvrPod) {
		u := &s.list(gvrPod)[i]
		var pod corev1.Pod
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &pod); err != nil {
			return err
		}
		if pod.DeletionTimestamp != nil {
			continue
		}
		if pod.Spec.NodeName == "" {
			if err := k.schedule(ctx, s, &pod); err != nil {
				return err
			}
			continue
		}
		if err := k.run(ctx, s, &pod); err != nil {
			return err
		}
	}
	return nil
}

// schedule binds pod to the first node (by name) that is Ready,
// schedulable, matches its node selector and has room for its requests;
// otherwise it reports why, as the scheduler's PodScheduled condition.
func (k *kubelet) schedule(ctx context.Context, s *snapshot, pod *corev1.Pod) error {
	nodes := s.list(gvrNode)
	var reasons []string
	for i := range nodes {
		n := &nodes[i]
		if why := k.fits(s, pod, n); why != "" {
			reasons = append(reasons, why)
			continue
		}
		binding := &corev1.Binding{ObjectMeta: metav1.ObjectMeta{Name: pod.Name, Namespace: pod.Namespace},
			Target: corev1.ObjectReference{Kind: "Node", Name: n.GetName()}}
		k.t.rec.Add(timeline.Event{Kind: timeline.Run, Resource: "Pod " + pod.Namespace + "/" + pod.Name, Status: "Scheduled", Message: "on " + n.GetName()})
		return k.t.kube.CoreV1().Pods(pod.Namespace).Bind(ctx, binding, metav1.CreateOptions{})
	}
	msg := fmt.Sprintf("0/%d nodes are available: %s.", len(nodes), summarize(reasons))
	k.report(pod, "Unschedulable", timeline.Event{Kind: timeline.Run, Resource: "Pod " + pod.Namespace + "/" + pod.Name, Status: "Pending", Message: msg})
	obj := object("v1", "Pod", pod.Namespace, pod.Name)
	obj["status"] = map[string]any{"phase": "Pending", "conditions": []any{map[string]any{
		"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": msg,
		"lastTransitionTime": k.t.clock.Now().UTC().Format(time.RFC3339)}}}
	return k.t.applyStatus(ctx, "scheduler", gvrPod, obj)
}

// summarize counts reasons as the scheduler words its message.
func summarize(reasons []string) string {
	count := map[string]int{}
	for _, r := range reasons {
		count[r]++
	}
	var parts []string
	for r, n := range count {
		parts = append(parts, fmt.Sprintf("%d %s", n, r))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// fits returns why pod cannot run on node, or "".
func (k *kubelet) fits(s *snapshot, pod *corev1.Pod, n *unstructured.Unstructured) string {
	if !nodeReady(n) {
		return "node(s) were not ready"
	}
	if unsched, _, _ := unstructured.NestedBool(n.Object, "spec", "unschedulable"); unsched {
		return "node(s) were unschedulable"
	}
	if !labelsMatch(pod.Spec.NodeSelector, n.GetLabels()) {
		return "node(s) didn't match Pod's node affinity/selector"
	}
	alloc := stringMap(n.Object, "status", "allocatable")
	used := corev1.ResourceList{}
	for _, other := range s.list(gvrPod) {
		if mustString(other.Object, "spec", "nodeName") != n.GetName() || other.GetName() == pod.Name && other.GetNamespace() == pod.Namespace {
			continue
		}
		if phase := mustString(other.Object, "status", "phase"); phase == "Succeeded" || phase == "Failed" {
			continue
		}
		var op corev1.Pod
		if runtime.DefaultUnstructuredConverter.FromUnstructured(other.Object, &op) == nil {
			addRequests(used, &op)
		}
	}
	want := corev1.ResourceList{}
	addRequests(want, pod)
	for res, q := range want {
		have, err := resource.ParseQuantity(alloc[string(res)])
		if err != nil {
			have = resource.Quantity{}
		}
		total := q.DeepCopy()
		if u, ok := used[res]; ok {
			total.Add(u)
		}
		if total.Cmp(have) > 0 {
			return "Insufficient " + string(res)
		}
	}
	return ""
}

// addRequests adds a pod's effective requests (limits stand in for
// requests that are not set, as for extended resources).
func addRequests(into corev1.ResourceList, pod *corev1.Pod) {
	for _, c := range pod.Spec.Containers {
		for res, q := range c.Resources.Limits {
			if _, ok := c.Resources.Requests[res]; !ok {
				add(into, res, q)
			}
		}
		for res, q := range c.Resources.Requests {
			add(into, res, q)
		}
	}
}

func add(into corev1.ResourceList, res corev1.ResourceName, q resource.Quantity) {
	cur := into[res]
	cur.Add(q)
	into[res] = cur
}

// run starts a bound pod after the pod-start duration and ends it when its
// program does.
func (k *kubelet) run(ctx context.Context, s *snapshot, pod *corev1.Pod) error {
	if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return nil
	}
	key := string(pod.UID)
	now := k.t.clock.Elapsed()
	k.mu.Lock()
	t0, ok := k.started[key]
	if !ok {
		t0 = now
		k.started[key] = now
	}
	down := k.down[pod.Spec.NodeName]
	k.mu.Unlock()
	if down {
		return nil
	}
	if now < t0+k.t.spec.Durations.PodStart {
		return nil
	}
	phase, reason := corev1.PodRunning, ""
	if prog := programOf(pod.Spec.Containers); prog.runtime > 0 && now >= t0+k.t.spec.Durations.PodStart+prog.runtime {
		phase, reason = corev1.PodSucceeded, "Completed"
	}
	if string(pod.Status.Phase) == string(phase) {
		return nil
	}
	k.report(pod, string(phase), timeline.Event{Kind: timeline.Run, Resource: "Pod " + pod.Namespace + "/" + pod.Name, Status: string(phase), Message: "on " + pod.Spec.NodeName})
	return k.t.applyStatus(ctx, "kubelet", gvrPod, podStatus(pod, phase, reason, k.t.clock.Now()))
}

func (k *kubelet) report(pod *corev1.Pod, phase string, e timeline.Event) {
	k.mu.Lock()
	changed := k.reported[string(pod.UID)] != phase
	k.reported[string(pod.UID)] = phase
	k.mu.Unlock()
	if changed {
		k.t.rec.Add(e)
	}
}

func podStatus(pod *corev1.Pod, phase corev1.PodPhase, reason string, now time.Time) map[string]any {
	at := now.UTC().Format(time.RFC3339)
	running := phase == corev1.PodRunning
	var statuses []any
	for _, c := range pod.Spec.Containers {
		state := map[string]any{"running": map[string]any{"startedAt": at}}
		if !running {
			state = map[string]any{"terminated": map[string]any{"exitCode": int64(0), "reason": reason, "finishedAt": at}}
		}
		statuses = append(statuses, map[string]any{"name": c.Name, "image": c.Image, "imageID": "", "ready": running,
			"restartCount": int64(0), "started": running, "state": state})
	}
	ready := map[bool]string{true: "True", false: "False"}[running]
	obj := object("v1", "Pod", pod.Namespace, pod.Name)
	obj["status"] = map[string]any{"phase": string(phase), "startTime": at, "containerStatuses": statuses,
		"conditions": []any{
			map[string]any{"type": "PodScheduled", "status": "True", "lastTransitionTime": at},
			map[string]any{"type": "Ready", "status": ready, "lastTransitionTime": at},
			map[string]any{"type": "ContainersReady", "status": ready, "lastTransitionTime": at},
		}}
	return obj
}

// program is what the twin knows a container does: how long it runs (0:
// until stopped).
type program struct {
	runtime time.Duration
}

// programOf recognises the latency tests of cnf-tests by their -runtime
// argument (seconds); anything else runs until it is stopped.
func programOf(containers []corev1.Container) program {
	var p program
	for _, c := range containers {
		for _, a := range c.Args {
			if v, ok := strings.CutPrefix(a, "-runtime="); ok {
				if sec, err := strconv.Atoi(v); err == nil && time.Duration(sec)*time.Second > p.runtime {
					p.runtime = time.Duration(sec) * time.Second
				}
			}
		}
	}
	return p
}

// performanceComponent is the name the Node Tuning Operator gives what it
// creates for a profile (components.GetComponentName with prefix
// "performance").
func performanceComponent(profile string) string { return "performance-" + profile }

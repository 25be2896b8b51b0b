//go:build e2e

package monitoring

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/perftest"
	"github.com/lowlat/lowlat/generator/sriov"
)

// PromtoolEnv names the promtool binary; make e2e sets it (make promtool
// builds it from the pinned tools module).
const PromtoolEnv = "LOWLAT_PROMTOOL"

func promtool(t *testing.T) string {
	t.Helper()
	bin := os.Getenv(PromtoolEnv)
	if bin == "" {
		t.Fatalf("%s is not set: run make e2e, which builds promtool (make promtool)", PromtoolEnv)
	}
	return bin
}

const workshop = "../../fixtures/inventories/workshop.yaml"

// inventories are the workshop's and every golden tree's.
func inventories(t *testing.T) []string {
	t.Helper()
	golden, err := filepath.Glob("../render/testdata/golden/*/inventory.yaml")
	if err != nil || len(golden) == 0 {
		t.Fatalf("no golden inventories: %v", err)
	}
	return append([]string{workshop}, golden...)
}

// Every rule lowlat renders parses as Prometheus parses it, and on a
// cluster that is what its inventory says nothing fires, at any time.
func TestRulesParseAndStayQuietOnAHealthyCluster(t *testing.T) {
	bin := promtool(t)
	for _, file := range inventories(t) {
		inv, err := inventory.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		for i := range inv.Spec.Clusters {
			c := &inv.Spec.Clusters[i]
			if !c.Monitoring.On() {
				continue
			}
			t.Run(filepath.Base(filepath.Dir(file))+"/"+c.Name, func(t *testing.T) {
				dir := writeRules(t, c)
				runPromtool(t, bin, dir, "check", "rules", "rules.yaml")
				w := healthy(t, c)
				var checks []alertCheck
				for _, at := range []time.Duration{10 * time.Minute, time.Hour, horizon(t, c)} {
					for _, name := range alertNames(t, c) {
						checks = append(checks, alertCheck{At: at, Alert: name})
					}
				}
				runTests(t, bin, dir, []unitTest{{Name: "healthy", World: w, Checks: checks}})
			})
		}
	}
}

// Each failure of a pool fires its alert, with the pool's labels and the
// words a person paged reads, once it has lasted the alert's for, and not
// before; what a rollout does to its own nodes pages nobody.
func TestEachFailureFiresItsAlert(t *testing.T) {
	bin := promtool(t)
	inv, err := inventory.Load(workshop)
	if err != nil {
		t.Fatal(err)
	}
	c := &inv.Spec.Clusters[0]
	c5 := &c.NodePools[0]
	if c5.Name != "cnf-c5" || c5.Replicas != 2 || c.PerfTests == nil || c.PerfTests.NodePool != "cnf-c5" {
		t.Fatalf("the workshop changed: the cases below assume pool cnf-c5 with 2 nodes and the perf tests on it")
	}
	// The workshop's pools use the stock kernel and no canary; these cases
	// ask for both.
	c5.Tuning.RealTimeKernel = true
	c5.Canary = true
	dir := writeRules(t, c)
	retest, err := perftest.RetestName(c)
	if err != nil {
		t.Fatal(err)
	}
	node0, node1 := nodeName(c5, 0), nodeName(c5, 1)
	lab := func(more ...string) map[string]string {
		out := map[string]string{"cluster": "lab1", "pool": "cnf-c5"}
		for i := 0; i+1 < len(more); i += 2 {
			out[more[i]] = more[i+1]
		}
		return out
	}
	critical := func(more ...string) map[string]string { return lab(append(more, "severity", "critical")...) }
	warning := func(more ...string) map[string]string { return lab(append(more, "severity", "warning")...) }
	rollout := 3 * 40 * time.Minute // 2 nodes and the canary's re-test
	cases := []struct {
		name   string
		change func(w world)
		checks []alertCheck
	}{
		{"a node is gone", func(w world) { w.dropNode(node1) }, []alertCheck{
			{At: 31 * time.Minute, Alert: AlertNodesMissing, Want: []firing{{critical(), map[string]string{"{{ $value }}": "1"}}}},
			{At: 29 * time.Minute, Alert: AlertNodesMissing},
		}},
		{"a node is not Ready", func(w world) { w.set(ready(node0, "true"), 0) }, []alertCheck{
			{At: 16 * time.Minute, Alert: AlertNodeNotReady, Want: []firing{{critical("node", node0), nil}}},
			{At: 14 * time.Minute, Alert: AlertNodeNotReady},
		}},
		{"a node rebooting in a rollout pages nobody, a rollout that takes too long does", func(w world) {
			w.set(ready(node0, "true"), 0)
			w.set(series("mco_updated_machine_count", mcoLabels("cnf-c5")), 0)
		}, []alertCheck{
			{At: 2 * time.Hour, Alert: AlertNodeNotReady},
			{At: rollout + 5*time.Minute, Alert: AlertNodeNotReady},
			{At: rollout + 5*time.Minute, Alert: AlertRolloutStuck, Want: []firing{{warning("machineconfigpool", "cnf-c5"), nil}}},
			{At: rollout - 5*time.Minute, Alert: AlertRolloutStuck},
		}},
		{"a node is cordoned", func(w world) { w.set(series("kube_node_spec_unschedulable", ksm("node", node0)), 1) }, []alertCheck{
			{At: 31 * time.Minute, Alert: AlertNodeCordoned, Want: []firing{{warning("node", node0), nil}}},
		}},
		{"hugepages are gone", func(w world) { w.set(allocatable(node0, "hugepages_1Gi", "byte"), 0) }, []alertCheck{
			{At: 11 * time.Minute, Alert: AlertHugepagesMissing, Want: []firing{{critical("node", node0, "resource", "hugepages-1Gi"), map[string]string{"{{ $value | humanize1024 }}": "0"}}}},
			{At: 9 * time.Minute, Alert: AlertHugepagesMissing},
		}},
		{"half the hugepages are there", func(w world) { w.set(allocatable(node1, "hugepages_1Gi", "byte"), 16<<30) }, []alertCheck{
			{At: 11 * time.Minute, Alert: AlertHugepagesMissing, Want: []firing{{critical("node", node1, "resource", "hugepages-1Gi"), map[string]string{"{{ $value | humanize1024 }}": "16Gi"}}}},
		}},
		{"the node lists no hugepages of the size", func(w world) { w.drop(allocatable(node0, "hugepages_1Gi", "byte")) }, []alertCheck{
			{At: 11 * time.Minute, Alert: AlertHugepagesMissing, Want: []firing{{critical("node", node0, "resource", "hugepages-1Gi"), map[string]string{"{{ $value | humanize1024 }}": "0"}}}},
		}},
		{"the SR-IOV device plugin advertises no VF", func(w world) { w.drop(allocatable(node0, "openshift_io_sriov_a", "integer")) }, []alertCheck{
			{At: 16 * time.Minute, Alert: AlertSRIOVMissing, Want: []firing{{critical("node", node0, "resource", "openshift.io/sriov_a", "network", "sriov-a"), map[string]string{"{{ $value }}": "0"}}}},
			{At: 14 * time.Minute, Alert: AlertSRIOVMissing},
		}},
		{"a node boots the stock kernel", func(w world) {
			w.drop(nodeInfo(node0, rtKernel))
			w.set(nodeInfo(node0, stockKernel), 1)
		}, []alertCheck{
			{At: 11 * time.Minute, Alert: AlertRealtimeKernel, Want: []firing{{critical("node", node0, "kernel_version", stockKernel), nil}}},
		}},
		{"a container is refused its exclusive CPUs at minute 20", func(w world) {
			w.step(kubeletCounter("kubelet_cpu_manager_pinning_errors_total", node0), 3, 20)
		}, []alertCheck{
			{At: 25 * time.Minute, Alert: AlertCPUPinningFailed, Want: []firing{{warning("node", node0), nil}}},
			{At: 15 * time.Minute, Alert: AlertCPUPinningFailed},
			{At: 40 * time.Minute, Alert: AlertCPUPinningFailed},
		}},
		{"a pod is refused for NUMA alignment at minute 20", func(w world) {
			w.step(kubeletCounter("kubelet_topology_manager_admission_errors_total", node1), 2, 20)
		}, []alertCheck{
			{At: 25 * time.Minute, Alert: AlertTopologyAdmission, Want: []firing{{warning("node", node1), nil}}},
			{At: 40 * time.Minute, Alert: AlertTopologyAdmission},
		}},
		{"the canary's MachineConfigPool is degraded", func(w world) {
			w.set(series("mco_degraded_machine_count", mcoLabels("cnf-c5-canary")), 1)
		}, []alertCheck{
			{At: 6 * time.Minute, Alert: AlertPoolDegraded, Want: []firing{{critical("machineconfigpool", "cnf-c5-canary"), map[string]string{"{{ $value }}": "1"}}}},
			{At: 4 * time.Minute, Alert: AlertPoolDegraded},
		}},
		{"the current re-test failed", func(w world) {
			w.set(series("kube_job_failed", jobLabels(c.PerfTests.Namespace, retest, "true")), 1)
		}, []alertCheck{
			{At: 1 * time.Minute, Alert: AlertPerfRunFailed, Want: []firing{{warning("namespace", c.PerfTests.Namespace, "job_name", retest), nil}}},
		}},
		{"a superseded re-test failed", func(w world) {
			w.set(series("kube_job_failed", jobLabels(c.PerfTests.Namespace, perftest.Series(perftest.PhaseRetest)+"-0000000000", "true")), 1)
		}, []alertCheck{
			{At: 10 * time.Minute, Alert: AlertPerfRunFailed},
		}},
	}
	rule := ruleOf(t, c)
	var tests []unitTest
	for _, tc := range cases {
		w := healthy(t, c)
		tc.change(w)
		for i, ch := range tc.checks {
			for j, f := range ch.Want {
				tc.checks[i].Want[j].Annotations = expand(t, annotationsOf(rule, ch.Alert, f.Labels), f.Labels, f.Annotations)
			}
		}
		tests = append(tests, unitTest{Name: tc.name, World: w, Checks: tc.checks})
	}
	runTests(t, bin, dir, tests)
}

// Kernel releases as the kubelet reports them.
const (
	stockKernel = "5.14.0-570.19.1.el9_6.x86_64"
	rtKernel    = "5.14.0-570.19.1.el9_6.x86_64+rt"
)

// world is the input series of a test: the series' text to promtool's
// expanding notation of its samples, whose last count (%d) runTests fills.
type world map[string]string

// set holds a series at v.
func (w world) set(s string, v float64) { w[s] = fmt.Sprintf("%g+0x%%d", v) }

// step holds a counter at v until minute at, and one more from then on.
func (w world) step(s string, v float64, at int) { w[s] = fmt.Sprintf("%gx%d %g+0x%%d", v, at, v+1) }

func (w world) drop(s string) { delete(w, s) }

// dropNode removes every series of a node, as when it leaves the cluster.
func (w world) dropNode(node string) {
	for s := range w {
		if strings.Contains(s, `node="`+node+`"`) {
			delete(w, s)
		}
	}
}

func series(metric string, labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%q", k, labels[k]))
	}
	return metric + "{" + strings.Join(parts, ",") + "}"
}

// ksm are the labels of a kube-state-metrics series as the platform
// Prometheus stores it: the target's labels beside the metric's own
// (cluster-monitoring-operator's ServiceMonitor drops instance and pod).
func ksm(kv ...string) map[string]string {
	out := map[string]string{"job": "kube-state-metrics", "namespace": "openshift-monitoring", "service": "kube-state-metrics",
		"endpoint": "https-main", "container": "kube-rbac-proxy-main"}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// mcoLabels are the labels of a machine-config-operator pool series.
func mcoLabels(pool string) map[string]string {
	return map[string]string{"job": "machine-config-operator", "namespace": "openshift-machine-config-operator", "service": "machine-config-operator",
		"endpoint": "metrics", "container": "kube-rbac-proxy", "pod": "machine-config-operator-5b8d7c6f9-k4zrt", "instance": "10.130.0.19:9001", "pool": pool}
}

// jobLabels are a Job's kube_job_failed labels: the Job's own namespace
// wins over the target's (honorLabels).
func jobLabels(namespace, job, condition string) map[string]string {
	l := ksm("job_name", job, "condition", condition)
	l["namespace"] = namespace
	return l
}

// kubeletCounter is a kubelet metric as the platform stores it: the
// kubelet ServiceMonitor's target labels, node from the endpoint's Node.
func kubeletCounter(metric, node string) string {
	return series(metric, map[string]string{"job": "kubelet", "metrics_path": "/metrics", "namespace": "kube-system", "service": "kubelet",
		"endpoint": "https-metrics", "instance": "10.0.1.17:10250", "node": node})
}

func ready(node, status string) string {
	return series("kube_node_status_condition", ksm("node", node, "condition", "Ready", "status", status))
}

func allocatable(node, resource, unit string) string {
	return series("kube_node_status_allocatable", ksm("node", node, "resource", resource, "unit", unit))
}

func nodeInfo(node, kernel string) string {
	return series("kube_node_info", ksm("node", node, "kernel_version", kernel, "os_image", "Red Hat Enterprise Linux CoreOS 9.6", "container_runtime_version", "cri-o://1.33.5"))
}

func nodeName(np *inventory.NodePool, i int) string { return fmt.Sprintf("%s-node-%d", np.Name, i) }

// healthy is the cluster as its inventory says it is: each pool's nodes
// Ready with their hugepages, VFs and kernel, each MachineConfigPool
// updated, no run failed.
func healthy(t *testing.T, c *inventory.Cluster) world {
	t.Helper()
	w := world{}
	for i := range c.NodePools {
		np := &c.NodePools[i]
		pages := map[string]float64{"hugepages_1Gi": 0, "hugepages_2Mi": 0}
		for _, hp := range np.Tuning.Hugepages {
			pages[sanitize(inventory.HugepageResource(hp.Size))] += float64(inventory.HugepageBytes(hp.Size) * int64(hp.Count))
		}
		for n := range np.Replicas {
			node := nodeName(np, n)
			w.set(series("kube_node_role", ksm("node", node, "role", np.NodeRole)), 1)
			w.set(series("kube_node_role", ksm("node", node, "role", "worker")), 1)
			w.set(ready(node, "true"), 1)
			w.set(ready(node, "false"), 0)
			w.set(ready(node, "unknown"), 0)
			w.set(series("kube_node_spec_unschedulable", ksm("node", node)), 0)
			for resource, bytes := range pages {
				w.set(allocatable(node, resource, "byte"), bytes)
			}
			for j := range c.Networks {
				net := &c.Networks[j]
				if !sriov.OnPool(c, net, np) {
					continue
				}
				vfs, ok := sriov.VFsPerNode(np, net)
				if !ok {
					vfs = 1
				}
				w.set(allocatable(node, sanitize(sriov.ResourcePrefix+"/"+sriov.ResourceName(net.Name)), "integer"), float64(vfs))
			}
			kernel := stockKernel
			if np.Tuning.RealTimeKernel {
				kernel = rtKernel
			}
			w.set(nodeInfo(node, kernel), 1)
			// Refusals before the test started: counters that do not rise.
			w.set(kubeletCounter("kubelet_cpu_manager_pinning_errors_total", node), 3)
			w.set(kubeletCounter("kubelet_topology_manager_admission_errors_total", node), 2)
		}
		mcps := map[string]int{np.NodeRole: np.Replicas}
		if np.Canary {
			mcps = map[string]int{np.NodeRole: np.Replicas - 1, np.CanaryRole(): 1}
		}
		for mcp, n := range mcps {
			w.set(series("mco_machine_count", mcoLabels(mcp)), float64(n))
			w.set(series("mco_updated_machine_count", mcoLabels(mcp)), float64(n))
			w.set(series("mco_degraded_machine_count", mcoLabels(mcp)), 0)
			w.set(series("mco_unavailable_machine_count", mcoLabels(mcp)), 0)
		}
	}
	// Finished runs: a Job's Complete condition, no Failed one.
	for _, r := range runNames(t, c) {
		w.set(series("kube_job_complete", jobLabels(r.namespace, r.name, "true")), 1)
	}
	return w
}

func runNames(t *testing.T, c *inventory.Cluster) []run {
	t.Helper()
	runs, err := currentRuns(c)
	if err != nil {
		t.Fatal(err)
	}
	var out []run
	for _, rs := range runs {
		out = append(out, rs...)
	}
	return out
}

// horizon is later than every alert's for.
func horizon(t *testing.T, c *inventory.Cluster) time.Duration {
	t.Helper()
	rule := ruleOf(t, c)
	longest := time.Duration(0)
	for _, g := range rule.Spec.Groups {
		for _, r := range g.Rules {
			if r.For == "" {
				continue
			}
			d, err := time.ParseDuration(r.For)
			if err != nil {
				t.Fatalf("%s: for %q: %v", r.Alert, r.For, err)
			}
			longest = max(longest, d)
		}
	}
	return longest + 15*time.Minute
}

func alertNames(t *testing.T, c *inventory.Cluster) []string {
	t.Helper()
	rule := ruleOf(t, c)
	seen := map[string]bool{}
	for _, g := range rule.Spec.Groups {
		for _, r := range g.Rules {
			seen[r.Alert] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// annotationsOf finds the rule of an alert whose labels the firing alert
// carries, and returns its annotations.
func annotationsOf(rule PrometheusRule, alert string, labels map[string]string) map[string]string {
	for _, g := range rule.Spec.Groups {
		for _, r := range g.Rules {
			if r.Alert != alert || r.Labels[poolLabel] != labels[poolLabel] {
				continue
			}
			if res, ok := r.Labels["resource"]; ok && res != labels["resource"] {
				continue
			}
			return r.Annotations
		}
	}
	return nil
}

// expand fills an alert's annotation templates with the firing alert's
// labels and the values given; a template left over fails the test, so every
// template an annotation uses is one a case names.
func expand(t *testing.T, annotations, labels, values map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range annotations {
		for name, value := range labels {
			v = strings.ReplaceAll(v, "{{ $labels."+name+" }}", value)
		}
		for from, to := range values {
			v = strings.ReplaceAll(v, from, to)
		}
		if strings.Contains(v, "{{") {
			t.Fatalf("annotation %s: template left in %q; name its value in the case", k, v)
		}
		out[k] = v
	}
	return out
}

type firing struct {
	Labels      map[string]string
	Annotations map[string]string
}

type alertCheck struct {
	At    time.Duration
	Alert string
	Want  []firing
}

type unitTest struct {
	Name   string
	World  world
	Checks []alertCheck
}

// writeRules writes the cluster's rule groups as a Prometheus rule file.
func writeRules(t *testing.T, c *inventory.Cluster) string {
	t.Helper()
	rule := ruleOf(t, c)
	data, err := yaml.Marshal(rule.Spec)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "rules.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runTests writes promtool's unit test file and runs it.
func runTests(t *testing.T, bin, dir string, tests []unitTest) {
	t.Helper()
	type expAlert struct {
		Labels      map[string]string `json:"exp_labels"`
		Annotations map[string]string `json:"exp_annotations,omitempty"`
	}
	type ruleTest struct {
		EvalTime  string     `json:"eval_time"`
		Alertname string     `json:"alertname"`
		ExpAlerts []expAlert `json:"exp_alerts"`
	}
	type input struct {
		Series string `json:"series"`
		Values string `json:"values"`
	}
	type testCase struct {
		Name      string     `json:"name"`
		Interval  string     `json:"interval"`
		Input     []input    `json:"input_series"`
		RuleTests []ruleTest `json:"alert_rule_test"`
	}
	var file struct {
		RuleFiles          []string   `json:"rule_files"`
		EvaluationInterval string     `json:"evaluation_interval"`
		Tests              []testCase `json:"tests"`
	}
	file.RuleFiles, file.EvaluationInterval = []string{"rules.yaml"}, "1m"
	for _, ut := range tests {
		last := time.Duration(0)
		for _, ch := range ut.Checks {
			last = max(last, ch.At)
		}
		samples := int(last/time.Minute) + 10
		tc := testCase{Name: ut.Name, Interval: "1m"}
		for _, s := range slices.Sorted(maps.Keys(ut.World)) {
			tc.Input = append(tc.Input, input{Series: s, Values: fmt.Sprintf(ut.World[s], samples)})
		}
		for _, ch := range ut.Checks {
			rt := ruleTest{EvalTime: promDuration(ch.At), Alertname: ch.Alert, ExpAlerts: []expAlert{}}
			for _, f := range ch.Want {
				rt.ExpAlerts = append(rt.ExpAlerts, expAlert{Labels: f.Labels, Annotations: f.Annotations})
			}
			tc.RuleTests = append(tc.RuleTests, rt)
		}
		file.Tests = append(file.Tests, tc)
	}
	data, err := yaml.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tests.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	runPromtool(t, bin, dir, "test", "rules", "tests.yaml")
}

func runPromtool(t *testing.T, bin, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

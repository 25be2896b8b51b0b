package monitoring

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/lowlat/lowlat/generator/gates"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/perftest"
	"github.com/lowlat/lowlat/generator/sriov"
	"github.com/lowlat/lowlat/generator/virt"
)

// Severities, as OpenShift's own alerts use them: critical pages, warning
// is looked at in working hours.
const (
	Critical = "critical"
	Warning  = "warning"
)

// Alert names, each with a runbook section in the README.
const (
	AlertNodesMissing       = "LowlatPoolNodesMissing"
	AlertNodeNotReady       = "LowlatPoolNodeNotReady"
	AlertNodeCordoned       = "LowlatPoolNodeCordoned"
	AlertHugepagesMissing   = "LowlatHugepagesMissing"
	AlertSRIOVMissing       = "LowlatSRIOVResourceMissing"
	AlertRealtimeKernel     = "LowlatRealtimeKernelMissing"
	AlertPoolDegraded       = "LowlatPoolDegraded"
	AlertRolloutStuck       = "LowlatPoolRolloutStuck"
	AlertPerfRunFailed      = "LowlatPerfRunFailed"
	AlertCPUPinningFailed   = "LowlatCPUPinningFailed"
	AlertTopologyAdmission  = "LowlatTopologyAdmissionFailed"
	RuleName                = "lowlat-pools"
	runbookBase             = "https://github.com/lowlat/lowlat/blob/main/README.md#"
	clusterLabel, poolLabel = "cluster", "pool"
)

// Alerts lists every alert lowlat can render, for the README's runbook.
var Alerts = []string{AlertNodesMissing, AlertNodeNotReady, AlertNodeCordoned, AlertHugepagesMissing,
	AlertSRIOVMissing, AlertRealtimeKernel, AlertCPUPinningFailed, AlertTopologyAdmission, AlertPoolDegraded, AlertRolloutStuck, AlertPerfRunFailed}

// Objects are a cluster's monitoring objects: the namespace the platform
// Prometheus reads, the alerts (commented with their metrics' sources) and
// the console dashboard. The current perf runs, which both the alerts and
// the dashboard name, are worked out once.
func Objects(c *inventory.Cluster) ([]any, error) {
	runs, err := currentRuns(c)
	if err != nil {
		return nil, err
	}
	dashboard, err := dashboardFor(c, runs)
	if err != nil {
		return nil, err
	}
	rule := manifest.Commented{Object: ruleFor(c, runs), Comments: RuleComments()}
	return []any{NamespaceFor(c), rule, dashboard}, nil
}

// ruleFor renders a cluster's alerts: one group per pool, each alert
// computed from what the inventory says the pool is. An alert that could
// never fire for the pool (hugepages it does not reserve, networks it does
// not have, a kernel it does not ask for, runs it does not have) is left
// out.
func ruleFor(c *inventory.Cluster, runs map[string][]run) PrometheusRule {
	var groups []RuleGroup
	for i := range c.NodePools {
		np := &c.NodePools[i]
		p := pool{cluster: c.Name, np: np}
		rules := []Rule{p.nodesMissing(), p.nodeNotReady(), p.nodeCordoned()}
		rules = append(rules, p.hugepages()...)
		rules = append(rules, p.sriov(c)...)
		rules = append(rules, p.realtimeKernel()...)
		rules = append(rules, p.kubeletRefusals()...)
		rules = append(rules, p.poolDegraded(), p.rolloutStuck())
		rules = append(rules, p.perfRunsFailed(runs[np.Name])...)
		groups = append(groups, RuleGroup{Name: "lowlat." + np.Name, Rules: rules})
	}
	return PrometheusRule{
		TypeMeta: kube.TypeMeta{APIVersion: "monitoring.coreos.com/v1", Kind: "PrometheusRule"},
		Metadata: kube.ObjectMeta{Name: RuleName, Namespace: c.Monitoring.Namespace, Labels: kube.Labels(nil)},
		Spec:     PrometheusRuleSpec{Groups: groups},
	}
}

// RuleComments name where the alerts' metrics come from, above the rule
// groups.
func RuleComments() []manifest.Comment {
	return []manifest.Comment{{Path: []string{"spec", "groups"}, Text: strings.Join([]string{
		"One group per pool; every expression reads metrics of OpenShift's platform monitoring:",
		"kube_node_role, kube_node_status_condition, kube_node_spec_unschedulable, kube_node_status_allocatable,",
		"kube_node_info, kube_job_failed: kube-state-metrics (openshift-monitoring);",
		"mco_machine_count, mco_updated_machine_count, mco_degraded_machine_count: the machine-config-operator;",
		"kubelet_cpu_manager_pinning_errors_total, kubelet_topology_manager_admission_errors_total: the kubelet.",
		"Runbooks: " + runbookBase + "alerts",
	}, "\n")}}
}

// pool builds one pool's alerts.
type pool struct {
	cluster string
	np      *inventory.NodePool
}

// labels are an alert's labels: its severity, cluster and pool, and more.
func (p pool) labels(severity string, more ...string) map[string]string {
	out := map[string]string{"severity": severity, clusterLabel: p.cluster, poolLabel: p.np.Name}
	for i := 0; i+1 < len(more); i += 2 {
		out[more[i]] = more[i+1]
	}
	return out
}

func annotations(alert, summary, description string) map[string]string {
	return map[string]string{"summary": summary, "description": description, "runbook_url": runbookBase + strings.ToLower(alert)}
}

// nodes is the pool's nodes, one series per node with value 1:
// kube-state-metrics' kube_node_role, which it reads from the
// node-role.kubernetes.io/<role> label (internal/store/node.go). max by
// (node) keeps one series per node while two kube-state-metrics scrapes
// overlap.
func (p pool) nodes() string {
	return fmt.Sprintf(`max by (node) (kube_node_role{job="kube-state-metrics",role=%q})`, p.np.NodeRole)
}

// onPool keeps the series of expr of the pool's nodes, with their labels:
// one-to-one matching on (node) would keep only node, so the pool's nodes
// are the "one" side of group_left.
func (p pool) onPool(expr string) string {
	return fmt.Sprintf("%s * on (node) group_left () %s", expr, p.nodes())
}

// pools are the MachineConfigPools that roll the pool's tuning out: its
// own and its canary's.
func (p pool) pools() string {
	if p.np.Canary {
		return fmt.Sprintf(`pool=~"%s|%s"`, regexp.QuoteMeta(p.np.NodeRole), regexp.QuoteMeta(p.np.CanaryRole()))
	}
	return fmt.Sprintf(`pool=%q`, p.np.NodeRole)
}

// updating holds while the Machine Config Operator rolls a configuration
// out to the pool, draining and rebooting its nodes one batch at a time;
// node-level alerts wait for it to end, and a rollout that does not end is
// LowlatPoolRolloutStuck. mco_machine_count and mco_updated_machine_count
// are the machine-config-operator's (release-4.20 pkg/operator/metrics.go,
// set by status.go syncMetrics; scraped by its ServiceMonitor),
// one series per pool.
func (p pool) updating() string {
	return fmt.Sprintf("%s > %s", p.perMCP("mco_machine_count"), p.perMCP("mco_updated_machine_count"))
}

// perMCP is one of the machine-config-operator's per-pool metrics for the
// pool's MachineConfigPools, the pool's name moved to label
// machineconfigpool: an alert's own pool label names lowlat's pool, and
// would otherwise overwrite it (a canary's two MachineConfigPools would
// then be one alert twice).
func (p pool) perMCP(metric string) string {
	return fmt.Sprintf(`max by (machineconfigpool) (label_replace(%s{%s}, "machineconfigpool", "$1", "pool", "(.+)"))`, metric, p.pools())
}

// outsideRollouts drops every series of expr while the pool updates.
func (p pool) outsideRollouts(expr string) string {
	return fmt.Sprintf("%s unless on () (%s)", expr, p.updating())
}

func (p pool) nodesMissing() Rule {
	want := p.np.Replicas
	return Rule{
		Alert: AlertNodesMissing,
		// A node that leaves the pool (deleted, relabelled) is gone from
		// kube_node_role; "or vector(0)" counts a pool with none.
		Expr:   fmt.Sprintf(`(count(%s) or vector(0)) < %d`, p.nodes(), want),
		For:    "30m",
		Labels: p.labels(Critical),
		Annotations: annotations(AlertNodesMissing, fmt.Sprintf("Pool %s has fewer nodes than its %d replicas", p.np.Name, want),
			fmt.Sprintf("{{ $value }} nodes carry node-role.kubernetes.io/%s; the inventory asks for %d.", p.np.NodeRole, want)),
	}
}

func (p pool) nodeNotReady() Rule {
	// kube_node_status_condition: kube-state-metrics, one series per
	// condition and status, 1 for the status the node reports.
	ready := `max by (node) (kube_node_status_condition{job="kube-state-metrics",condition="Ready",status="true"})`
	return Rule{
		Alert:  AlertNodeNotReady,
		Expr:   p.outsideRollouts(p.onPool(ready) + " == 0"),
		For:    "15m",
		Labels: p.labels(Critical),
		Annotations: annotations(AlertNodeNotReady, fmt.Sprintf("Node {{ $labels.node }} of pool %s is not Ready", p.np.Name),
			"The node has not been Ready for 15 minutes while no configuration was rolling out to its pool."),
	}
}

func (p pool) nodeCordoned() Rule {
	// kube_node_spec_unschedulable: kube-state-metrics, 1 when cordoned.
	return Rule{
		Alert:  AlertNodeCordoned,
		Expr:   p.outsideRollouts(p.onPool(`max by (node) (kube_node_spec_unschedulable{job="kube-state-metrics"})`) + " == 1"),
		For:    "30m",
		Labels: p.labels(Warning),
		Annotations: annotations(AlertNodeCordoned, fmt.Sprintf("Node {{ $labels.node }} of pool %s is cordoned", p.np.Name),
			"The node has been unschedulable for 30 minutes while no configuration was rolling out to its pool: its isolated CPUs serve nothing."),
	}
}

// allocatable is kube-state-metrics' kube_node_status_allocatable for one
// resource of the pool's nodes, 0 for a node that does not list it (no
// device plugin, no pages of the size). kube-state-metrics writes a
// resource name with every character outside [a-zA-Z0-9_] as "_"
// (hugepages-1Gi is hugepages_1Gi, openshift.io/x is openshift_io_x) and
// gives hugepages the unit byte, extended resources integer
// (v2.16.0, which OpenShift 4.20 ships: internal/store/node.go,
// utils.go SanitizeLabelName, pkg/constant/resource_unit.go).
func (p pool) allocatable(resource, unit string) string {
	sel := fmt.Sprintf(`max by (node) (kube_node_status_allocatable{job="kube-state-metrics",resource=%q,unit=%q})`, sanitize(resource), unit)
	return fmt.Sprintf("(%s or on (node) (0 * %s))", p.onPool(sel), p.nodes())
}

var unsafeLabel = regexp.MustCompile(`[^a-zA-Z0-9_]`)

func sanitize(resource string) string { return unsafeLabel.ReplaceAllString(resource, "_") }

// hugepages alerts for each page size the profile reserves: the kubelet
// reports as allocatable the pages the kernel allocated at boot, all NUMA
// nodes together.
func (p pool) hugepages() []Rule {
	bytes := map[string]int64{}
	for _, hp := range p.np.Tuning.Hugepages {
		bytes[hp.Size] += inventory.HugepageBytes(hp.Size) * int64(hp.Count)
	}
	var out []Rule
	for _, size := range slices.Sorted(maps.Keys(bytes)) {
		resource := inventory.HugepageResource(size)
		out = append(out, Rule{
			Alert:  AlertHugepagesMissing,
			Expr:   p.outsideRollouts(fmt.Sprintf("%s < %d", p.allocatable(resource, "byte"), bytes[size])),
			For:    "10m",
			Labels: p.labels(Critical, "resource", resource),
			Annotations: annotations(AlertHugepagesMissing, fmt.Sprintf("Node {{ $labels.node }} of pool %s has fewer %s hugepages than its profile reserves", p.np.Name, size),
				fmt.Sprintf("{{ $value | humanize1024 }}B of %s allocatable; the PerformanceProfile %s reserves %s.", resource, p.np.Name, humanBytes(bytes[size]))),
		})
	}
	return out
}

func humanBytes(b int64) string {
	if b%(1<<30) == 0 {
		return fmt.Sprintf("%d GiB", b>>30)
	}
	return fmt.Sprintf("%d MiB", b>>20)
}

// sriov alerts for each SR-IOV network on the pool: the device plugin
// advertises one VF per ENI of the network's subnet.
func (p pool) sriov(c *inventory.Cluster) []Rule {
	var out []Rule
	for i := range c.Networks {
		n := &c.Networks[i]
		if !sriov.OnPool(c, n, p.np) {
			continue
		}
		want, ok := sriov.VFsPerNode(p.np, n)
		if !ok {
			want = 1 // the instances differ: each must have at least one
		}
		resource := sriov.ResourcePrefix + "/" + sriov.ResourceName(n.Name)
		out = append(out, Rule{
			Alert:  AlertSRIOVMissing,
			Expr:   p.outsideRollouts(fmt.Sprintf("%s < %d", p.allocatable(resource, "integer"), want)),
			For:    "15m",
			Labels: p.labels(Critical, "resource", resource, "network", n.Name),
			Annotations: annotations(AlertSRIOVMissing, fmt.Sprintf("Node {{ $labels.node }} of pool %s advertises fewer %s VFs than it has ENIs", p.np.Name, resource),
				fmt.Sprintf("{{ $value }} of %d %s allocatable: the SR-IOV device plugin lost the ENIs in %s (network %s).", want, resource, n.SubnetID, n.Name)),
		})
	}
	return out
}

// realtimeKernel alerts when a pool that asks for the real-time kernel
// runs another. kube-state-metrics' kube_node_info carries the kernel
// release the kubelet reports (node.status.nodeInfo.kernelVersion). RHEL
// 9.4 and later name the real-time kernel "<version>.el9_N.x86_64+rt",
// earlier releases "<version>.rtN.<build>.el9_N.x86_64".
func (p pool) realtimeKernel() []Rule {
	if !p.np.Tuning.RealTimeKernel {
		return nil
	}
	info := `max by (node, kernel_version) (kube_node_info{job="kube-state-metrics",kernel_version!~".*(\\+rt|\\.rt[0-9]).*"})`
	return []Rule{{
		Alert:  AlertRealtimeKernel,
		Expr:   p.outsideRollouts(p.onPool(info)),
		For:    "10m",
		Labels: p.labels(Critical),
		Annotations: annotations(AlertRealtimeKernel, fmt.Sprintf("Node {{ $labels.node }} of pool %s runs kernel {{ $labels.kernel_version }}, not the real-time kernel", p.np.Name),
			fmt.Sprintf("The PerformanceProfile %s sets realTimeKernel.enabled.", p.np.Name)),
	}}
}

// kubeletRefusals alert when the pool's kubelets refuse what its tuning
// exists for: a Guaranteed container's exclusive CPUs (the CPU manager's
// static policy could not pin them, e.g. SMTAlignmentError under
// full-pcpus-only) or a pod whose CPUs, memory and devices the topology
// manager could not align on its policy's NUMA nodes (TopologyAffinityError).
// The counters are the kubelet's (k8s.io/kubernetes pkg/kubelet/metrics,
// incremented in cm/cpumanager/policy_static.go and
// cm/topologymanager/scope_*.go), scraped by the platform's kubelet
// ServiceMonitor with the node's name in node.
func (p pool) kubeletRefusals() []Rule {
	refusal := func(alert, counter, summary, description string) Rule {
		errors := fmt.Sprintf(`max by (node) (increase(%s{job="kubelet",metrics_path="/metrics"}[15m]))`, counter)
		return Rule{
			Alert:       alert,
			Expr:        p.onPool(errors) + " > 0",
			Labels:      p.labels(Warning),
			Annotations: annotations(alert, fmt.Sprintf(summary, p.np.Name), description),
		}
	}
	out := []Rule{refusal(AlertCPUPinningFailed, "kubelet_cpu_manager_pinning_errors_total",
		"Node {{ $labels.node }} of pool %s refused a container its exclusive CPUs",
		"The kubelet's CPU manager could not pin whole cores for a Guaranteed container in the last 15 minutes, and the pod failed admission (event reason SMTAlignmentError or UnexpectedAdmissionError).")}
	// best-effort and none admit every pod (topologymanager
	// policy_best_effort.go, policy_none.go): the counter cannot rise.
	if policy := p.np.Tuning.TopologyPolicy; policy != "restricted" && policy != "single-numa-node" {
		return out
	}
	return append(out,
		refusal(AlertTopologyAdmission, "kubelet_topology_manager_admission_errors_total",
			"Node {{ $labels.node }} of pool %s refused a pod whose resources it could not align",
			fmt.Sprintf("The topology manager (policy %s) rejected a pod in the last 15 minutes: its CPUs, hugepages and devices could not be aligned on the NUMA nodes its policy allows (event reason TopologyAffinityError).", p.np.Tuning.TopologyPolicy)))
}

func (p pool) poolDegraded() Rule {
	// mco_degraded_machine_count: machine-config-operator, per pool.
	return Rule{
		Alert:  AlertPoolDegraded,
		Expr:   p.perMCP("mco_degraded_machine_count") + " > 0",
		For:    "5m",
		Labels: p.labels(Critical),
		Annotations: annotations(AlertPoolDegraded, fmt.Sprintf("MachineConfigPool {{ $labels.machineconfigpool }} of pool %s has degraded nodes", p.np.Name),
			"{{ $value }} nodes failed to apply their configuration; the pool's rollout is stopped."),
	}
}

// rolloutStuck allows a rollout what the tuning gate allows it: one
// metal node's drain, reboot and settle per node, and one more for a
// canary's re-test.
func (p pool) rolloutStuck() Rule {
	nodes := p.np.Replicas
	if p.np.Canary {
		nodes++
	}
	limit := gates.RolloutTimeout(nodes)
	return Rule{
		Alert:  AlertRolloutStuck,
		Expr:   p.updating(),
		For:    promDuration(limit),
		Labels: p.labels(Warning),
		Annotations: annotations(AlertRolloutStuck, fmt.Sprintf("MachineConfigPool {{ $labels.machineconfigpool }} of pool %s has been updating for over %s", p.np.Name, promDuration(limit)),
			fmt.Sprintf("A rollout to %d nodes should take at most %s; nodes are still waiting for the new configuration.", nodes, promDuration(limit))),
	}
}

// perfRunsFailed alerts on the pool's current runs (the re-test measuring
// it, its latency tests) that failed: kube-state-metrics' kube_job_failed,
// 1 for condition="true" once the Job has its Failed condition. Only the
// runs of the committed tuning are named; a superseded run's failure is a
// record, not a page.
func (p pool) perfRunsFailed(runs []run) []Rule {
	var out []Rule
	for _, r := range runs {
		out = append(out, Rule{
			Alert:  AlertPerfRunFailed,
			Expr:   fmt.Sprintf(`max by (namespace, job_name) (kube_job_failed{job="kube-state-metrics",namespace=%q,job_name=%q,condition="true"}) > 0`, r.namespace, r.name),
			Labels: p.labels(Warning),
			Annotations: annotations(AlertPerfRunFailed, fmt.Sprintf("Perf run %s of pool %s failed", r.name, p.np.Name),
				"The run's verdict is on the Job (annotation lowlat.dev/verdict) and its results in ConfigMap "+r.name+"-results; lowlat results pull fetches them."),
		})
	}
	return out
}

// run is a current perf run.
type run struct{ namespace, name string }

// currentRuns are the runs the committed tree holds, by pool: the
// kube-burner re-test and the latency tests.
func currentRuns(c *inventory.Cluster) (map[string][]run, error) {
	out := map[string][]run{}
	if pt := c.PerfTests; pt != nil {
		name, err := perftest.RetestName(c)
		if err != nil {
			return nil, err
		}
		out[pt.NodePool] = append(out[pt.NodePool], run{pt.Namespace, name})
	}
	for i := range c.Workloads.Pods {
		pod := &c.Workloads.Pods[i]
		job, err := virt.TestRunFor(c, pod, "", "")
		if err != nil {
			return nil, err
		}
		out[pod.NodePool] = append(out[pod.NodePool], run{c.Workloads.Namespace, job.Metadata.Name})
	}
	return out, nil
}

// promDuration writes d as Prometheus does: "2h40m", "30m".
func promDuration(d time.Duration) string {
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h > 0 && m > 0:
		return fmt.Sprintf("%dh%dm", h, m)
	case h > 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dm", m)
}

package monitoring

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/operators"
	"github.com/lowlat/lowlat/generator/sriov"
)

// The OpenShift console lists every ConfigMap in openshift-config-managed
// labelled console.openshift.io/dashboard under Observe → Dashboards, and
// draws the Grafana dashboard JSON each data key holds, its queries run
// against the platform's Thanos Querier.
const (
	DashboardNamespace = "openshift-config-managed"
	DashboardLabel     = "console.openshift.io/dashboard"
)

// clusterMonitoringLabel makes the platform Prometheus read the
// PrometheusRules (and monitors) of a namespace.
const clusterMonitoringLabel = "openshift.io/cluster-monitoring"

// NamespaceFor is the namespace of the cluster's PrometheusRule, labelled
// for the platform Prometheus: the node metrics the alerts read are the
// platform's own (kube-state-metrics, the machine-config-operator), which
// user-workload monitoring cannot query for another namespace's rules.
func NamespaceFor(c *inventory.Cluster) kube.Namespace {
	return operators.NewNamespace(c.Monitoring.Namespace, map[string]string{clusterMonitoringLabel: "true"}, nil)
}

// DashboardName names the cluster's dashboard ConfigMap.
func DashboardName(c *inventory.Cluster) string { return "lowlat-" + c.Name }

// dashboardFor renders the cluster's console dashboard: a row per pool
// with its nodes, the kubelets' refusals, hugepages, SR-IOV VFs,
// MachineConfigPool and current perf runs.
func dashboardFor(c *inventory.Cluster, runs map[string][]run) (kube.ConfigMap, error) {
	d := dashboard{
		Title: "lowlat / " + c.Name, Tags: []string{"lowlat"}, Editable: false,
		Time: timeRange{From: "now-6h", To: "now"}, Refresh: "1m", SchemaVersion: 16,
	}
	id := 0
	next := func(p panel) panel {
		id++
		p.ID = id
		return p
	}
	for i := range c.NodePools {
		np := &c.NodePools[i]
		p := pool{cluster: c.Name, np: np}
		r := row{Title: fmt.Sprintf("Pool %s: %d × %s, node role %s", np.Name, np.Replicas, np.InstanceType, np.NodeRole)}
		r.Panels = append(r.Panels,
			next(stat("Ready nodes (of "+fmt.Sprint(np.Replicas)+")", 3, "none",
				"sum("+p.onPool(`max by (node) (kube_node_status_condition{job="kube-state-metrics",condition="Ready",status="true"})`)+")")),
			next(stat("Degraded machines", 3, "none", "sum("+p.perMCP("mco_degraded_machine_count")+")")),
			next(graph("MachineConfigPool machines", 6, "none",
				target{Expr: p.perMCP("mco_machine_count"), Legend: "{{machineconfigpool}} machines"},
				target{Expr: p.perMCP("mco_updated_machine_count"), Legend: "{{machineconfigpool}} updated"},
				target{Expr: p.perMCP("mco_unavailable_machine_count"), Legend: "{{machineconfigpool}} unavailable"})),
		)
		r.Panels = append(r.Panels, next(graph("Kubelet refusals per node (15 min)", 6, "none",
			target{Expr: p.onPool(`max by (node) (increase(kubelet_cpu_manager_pinning_errors_total{job="kubelet",metrics_path="/metrics"}[15m]))`), Legend: "{{node}} exclusive CPUs refused"},
			target{Expr: p.onPool(`max by (node) (increase(kubelet_topology_manager_admission_errors_total{job="kubelet",metrics_path="/metrics"}[15m]))`), Legend: "{{node}} NUMA alignment refused"})))
		var pages []target
		for _, hp := range hugepageResources(np) {
			pages = append(pages, target{Expr: p.allocatable(hp, "byte"), Legend: "{{node}} " + hp})
		}
		if len(pages) > 0 {
			r.Panels = append(r.Panels, next(graph("Hugepages allocatable per node", 6, "bytes", pages...)))
		}
		var vfs []target
		for j := range c.Networks {
			n := &c.Networks[j]
			if !sriov.OnPool(c, n, np) {
				continue
			}
			resource := sriov.ResourcePrefix + "/" + sriov.ResourceName(n.Name)
			vfs = append(vfs,
				target{Expr: p.allocatable(resource, "integer"), Legend: "{{node}} " + n.Name + " allocatable"},
				target{Expr: p.onPool(fmt.Sprintf(`sum by (node) (kube_pod_container_resource_requests{job="kube-state-metrics",resource=%q})`, sanitize(resource))), Legend: "{{node}} " + n.Name + " in use"})
		}
		if len(vfs) > 0 {
			r.Panels = append(r.Panels, next(graph("SR-IOV VFs per node", 6, "none", vfs...)))
		}
		var results []target
		for _, run := range runs[np.Name] {
			results = append(results,
				target{Expr: fmt.Sprintf(`max(kube_job_status_succeeded{job="kube-state-metrics",namespace=%q,job_name=%q})`, run.namespace, run.name), Legend: run.name + " succeeded"},
				target{Expr: fmt.Sprintf(`max(kube_job_status_failed{job="kube-state-metrics",namespace=%q,job_name=%q})`, run.namespace, run.name), Legend: run.name + " failed pods"})
		}
		if len(results) > 0 {
			r.Panels = append(r.Panels, next(graph("Current perf runs (results: lowlat results pull)", 6, "none", results...)))
		}
		d.Rows = append(d.Rows, r)
	}
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return kube.ConfigMap{}, err
	}
	return kube.ConfigMap{
		TypeMeta: kube.TypeMeta{APIVersion: kube.CoreAPIVersion, Kind: "ConfigMap"},
		Metadata: kube.ObjectMeta{Name: DashboardName(c), Namespace: DashboardNamespace, Labels: kube.Labels(map[string]string{DashboardLabel: "true"})},
		Data:     map[string]string{DashboardName(c) + ".json": string(data) + "\n"},
	}, nil
}

// hugepageResources are the hugepage resources a pool's profile reserves.
func hugepageResources(np *inventory.NodePool) []string {
	seen := map[string]bool{}
	for _, hp := range np.Tuning.Hugepages {
		seen[inventory.HugepageResource(hp.Size)] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

// The part of Grafana's dashboard JSON (schema 16, rows) the console draws.
type dashboard struct {
	Title         string    `json:"title"`
	Tags          []string  `json:"tags"`
	Editable      bool      `json:"editable"`
	Time          timeRange `json:"time"`
	Refresh       string    `json:"refresh"`
	SchemaVersion int       `json:"schemaVersion"`
	Rows          []row     `json:"rows"`
}

type timeRange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

type row struct {
	Title  string  `json:"title"`
	Panels []panel `json:"panels"`
}

type panel struct {
	ID      int      `json:"id"`
	Title   string   `json:"title"`
	Type    string   `json:"type"`
	Span    int      `json:"span"`
	Format  string   `json:"format,omitempty"`
	YAxes   []axis   `json:"yaxes,omitempty"`
	Targets []target `json:"targets"`
}

type axis struct {
	Format string `json:"format"`
	Show   bool   `json:"show"`
}

type target struct {
	Expr   string `json:"expr"`
	Legend string `json:"legendFormat,omitempty"`
	RefID  string `json:"refId"`
}

func stat(title string, span int, format, expr string) panel {
	return panel{Title: title, Type: "singlestat", Span: span, Format: format, Targets: refs([]target{{Expr: expr}})}
}

func graph(title string, span int, format string, targets ...target) panel {
	return panel{Title: title, Type: "graph", Span: span, YAxes: []axis{{Format: format, Show: true}, {Format: "short", Show: false}}, Targets: refs(targets)}
}

// refs names the targets A, B, C… as Grafana does.
func refs(ts []target) []target {
	for i := range ts {
		ts[i].RefID = string(rune('A' + i))
	}
	return ts
}

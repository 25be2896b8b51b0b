package monitoring

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
)

const workshopFile = "../../fixtures/inventories/workshop.yaml"

func loadWorkshop(t *testing.T) *inventory.Cluster {
	t.Helper()
	inv, err := inventory.Load(workshopFile)
	if err != nil {
		t.Fatal(err)
	}
	return &inv.Spec.Clusters[0]
}

// ruleOf is the cluster's PrometheusRule, as Objects renders it.
func ruleOf(t *testing.T, c *inventory.Cluster) PrometheusRule {
	t.Helper()
	runs, err := currentRuns(c)
	if err != nil {
		t.Fatal(err)
	}
	return ruleFor(c, runs)
}

// dashboardOf is the cluster's dashboard ConfigMap, as Objects renders it.
func dashboardOf(t *testing.T, c *inventory.Cluster) kube.ConfigMap {
	t.Helper()
	runs, err := currentRuns(c)
	if err != nil {
		t.Fatal(err)
	}
	cm, err := dashboardFor(c, runs)
	if err != nil {
		t.Fatal(err)
	}
	return cm
}

// alertsOf lists a pool's alerts, with their resource label where they
// have one.
func alertsOf(t *testing.T, c *inventory.Cluster, pool string) []string {
	t.Helper()
	rule := ruleOf(t, c)
	var out []string
	for _, g := range rule.Spec.Groups {
		if g.Name != "lowlat."+pool {
			continue
		}
		for _, r := range g.Rules {
			name := r.Alert
			if res := r.Labels["resource"]; res != "" {
				name += " " + res
			}
			if r.Labels[poolLabel] != pool || r.Labels[clusterLabel] != c.Name || r.Labels["severity"] == "" {
				t.Errorf("%s of %s: labels %v", r.Alert, pool, r.Labels)
			}
			if r.Annotations["runbook_url"] != runbookBase+strings.ToLower(r.Alert) {
				t.Errorf("%s: runbook %q", r.Alert, r.Annotations["runbook_url"])
			}
			out = append(out, name)
		}
	}
	return out
}

// Each pool gets the alerts its tuning can break, and no alert that could
// never fire: hugepages of the sizes it reserves, the networks it has, the
// real-time kernel only when it asks for it, failed runs only of the runs
// it has.
func TestEachPoolGetsTheAlertsItsTuningCanBreak(t *testing.T) {
	c := loadWorkshop(t)
	want := map[string][]string{
		"cnf-c5": {AlertNodesMissing, AlertNodeNotReady, AlertNodeCordoned, AlertHugepagesMissing + " hugepages-1Gi",
			AlertSRIOVMissing + " openshift.io/sriov_a", AlertCPUPinningFailed, AlertTopologyAdmission, AlertPoolDegraded, AlertRolloutStuck, AlertPerfRunFailed, AlertPerfRunFailed},
		"cnf-i3": {AlertNodesMissing, AlertNodeNotReady, AlertNodeCordoned, AlertHugepagesMissing + " hugepages-2Mi",
			AlertCPUPinningFailed, AlertTopologyAdmission, AlertPoolDegraded, AlertRolloutStuck, AlertPerfRunFailed},
	}
	for pool, alerts := range want {
		if diff := cmp.Diff(alerts, alertsOf(t, c, pool)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", pool, diff)
		}
	}
	c.NodePools[1].Tuning.Hugepages = nil
	c.NodePools[1].Tuning.RealTimeKernel = true
	c.NodePools[1].Tuning.TopologyPolicy = "best-effort"
	got := strings.Join(alertsOf(t, c, "cnf-i3"), ",")
	if strings.Contains(got, AlertHugepagesMissing) || !strings.Contains(got, AlertRealtimeKernel) || strings.Contains(got, AlertTopologyAdmission) {
		t.Errorf("cnf-i3 without hugepages, with the real-time kernel and a topology policy that admits every pod: %v", got)
	}
}

// The numbers in the expressions are the inventory's: the replicas, the
// bytes of hugepages the profile reserves, the VFs of the ENIs discovered,
// the rollout the tuning gate allows.
func TestExpressionsCarryTheInventorysNumbers(t *testing.T) {
	c := loadWorkshop(t)
	rule := ruleOf(t, c)
	want := map[string]string{
		"cnf-c5/" + AlertNodesMissing:     `(count(max by (node) (kube_node_role{job="kube-state-metrics",role="cnf-c5"})) or vector(0)) < 2`,
		"cnf-c5/" + AlertHugepagesMissing: "< 34359738368 unless",
		"cnf-i3/" + AlertHugepagesMissing: "< 8589934592 unless",
		"cnf-c5/" + AlertSRIOVMissing:     `kube_node_status_allocatable{job="kube-state-metrics",resource="openshift_io_sriov_a",unit="integer"}`,
		"cnf-c5/" + AlertRolloutStuck:     `mco_machine_count{pool="cnf-c5"}`,
	}
	fors := map[string]string{"cnf-c5/" + AlertRolloutStuck: "1h20m"}
	for _, g := range rule.Spec.Groups {
		for _, r := range g.Rules {
			key := r.Labels[poolLabel] + "/" + r.Alert
			if w, ok := want[key]; ok && !strings.Contains(r.Expr, w) {
				t.Errorf("%s: %q does not contain %q", key, r.Expr, w)
			}
			if w, ok := fors[key]; ok && r.For != w {
				t.Errorf("%s: for %q, want %q", key, r.For, w)
			}
		}
	}
}

// A canary's two MachineConfigPools are watched, each alert keeping its
// own MachineConfigPool apart from lowlat's pool label.
func TestACanaryPoolWatchesBothMachineConfigPools(t *testing.T) {
	c := loadWorkshop(t)
	c.NodePools[0].Canary = true
	rule := ruleOf(t, c)
	for _, r := range rule.Spec.Groups[0].Rules {
		if r.Alert == AlertPoolDegraded && !strings.Contains(r.Expr, `pool=~"cnf-c5|cnf-c5-canary"`) {
			t.Errorf("%s: %s", r.Alert, r.Expr)
		}
		if r.Alert == AlertRolloutStuck && r.For != "2h0m" && r.For != "2h" {
			t.Errorf("rollout of 2 nodes and a canary: for %s, want 2h", r.For)
		}
	}
}

// The dashboard is Grafana JSON the console reads: a row per pool, every
// panel with a query.
func TestDashboardHasARowPerPool(t *testing.T) {
	c := loadWorkshop(t)
	cm := dashboardOf(t, c)
	if cm.Metadata.Namespace != DashboardNamespace || cm.Metadata.Labels[DashboardLabel] != "true" {
		t.Errorf("metadata %+v", cm.Metadata)
	}
	var d dashboard
	if err := json.Unmarshal([]byte(cm.Data[DashboardName(c)+".json"]), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Rows) != len(c.NodePools) {
		t.Fatalf("%d rows for %d pools", len(d.Rows), len(c.NodePools))
	}
	ids := map[int]bool{}
	for _, r := range d.Rows {
		for _, p := range r.Panels {
			if ids[p.ID] || len(p.Targets) == 0 {
				t.Errorf("panel %d %q: repeated id or no query", p.ID, p.Title)
			}
			ids[p.ID] = true
		}
	}
	if !strings.Contains(cm.Data[DashboardName(c)+".json"], "openshift_io_sriov_a") {
		t.Error("no SR-IOV panel for cnf-c5's network")
	}
}

// Every alert's runbook_url names a section of the README that exists.
func TestEveryAlertHasARunbookSection(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	if !strings.Contains(readme, "\n### Alerts\n") {
		t.Error("README has no Alerts section, which the rule's comment links")
	}
	for _, a := range Alerts {
		if !strings.Contains(readme, "\n#### "+a+"\n") {
			t.Errorf("README has no runbook section for %s", a)
		}
	}
}

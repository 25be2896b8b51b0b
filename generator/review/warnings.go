package review

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lowlat/lowlat/generator/perfrun"

	"github.com/lowlat/lowlat/generator/argocd"
	"github.com/lowlat/lowlat/generator/canary"
	"github.com/lowlat/lowlat/generator/manifest"
)

// WarningKind is a consequence of a change that a reviewer must not miss.
type WarningKind string

// The warnings, in the order the report lists them.
const (
	// WarnReboot: a PerformanceProfile or MachineConfigPool changed, so the
	// Machine Config Operator rolls a new configuration out to the pool's
	// nodes and reboots each one.
	WarnReboot WarningKind = "node-reboot"
	// WarnCPUs: a profile's reserved, isolated or offlined CPUs moved; pods
	// pinned to the old sets lose their guarantees.
	WarnCPUs WarningKind = "cpu-partition"
	// WarnDrain: an SriovNetworkNodePolicy changed; the SR-IOV operator
	// drains each selected node to reconfigure its virtual functions.
	WarnDrain WarningKind = "node-drain"
	// WarnNotPruned: a removed resource carries Prune=false, so ArgoCD
	// leaves it on the cluster.
	WarnNotPruned WarningKind = "not-pruned"
	// WarnPerfRun: a perf run named after its inputs is new: the change
	// is measured once the pools it tests run it (package perfrun).
	WarnPerfRun WarningKind = "perf-run"
	// WarnAlerts: a PrometheusRule's alerts changed: what pages whom, and
	// when.
	WarnAlerts WarningKind = "alerts"
)

var warningOrder = map[WarningKind]int{WarnReboot: 0, WarnCPUs: 1, WarnDrain: 2, WarnPerfRun: 3, WarnAlerts: 4, WarnNotPruned: 5}

var warningTitles = map[WarningKind]string{
	WarnReboot:    "Node reboot",
	WarnCPUs:      "CPU partition",
	WarnDrain:     "Node drain",
	WarnNotPruned: "Not pruned",
	WarnPerfRun:   "Perf run",
	WarnAlerts:    "Alerts",
}

// Warning is one consequence, located by cluster and pool or resource.
type Warning struct {
	Kind WarningKind `json:"kind"`
	// Cluster is empty for base/, which every cluster includes.
	Cluster string `json:"cluster,omitempty"`
	// Pool is the node pool (MachineConfigPool) whose nodes are affected.
	Pool string `json:"pool,omitempty"`
	// Nodes is the pool's node count from the inventory; absent when unknown.
	Nodes *int `json:"nodes,omitempty"`
	// AtOnce is how many of them the Machine Config Operator reboots at a
	// time (the pool's maxUnavailable), and Estimate how long the rollout
	// takes at catalog.NodeRollout's pace; absent when unknown.
	AtOnce   int    `json:"atOnce,omitempty"`
	Estimate string `json:"estimate,omitempty"`
	// Canary: one node is tuned and re-tested before the rest follow
	// AtOnce at a time; Estimate includes its re-test.
	Canary bool `json:"canary,omitempty"`
	// Selector names the nodes when no pool's role label selects them.
	Selector string `json:"selector,omitempty"`
	// Resources are the changes that cause it, e.g. "PerformanceProfile
	// cnf-c5 changed".
	Resources []string `json:"resources,omitempty"`
	// Field, Old and New are set for WarnCPUs; empty Old or New is absent.
	Field string `json:"field,omitempty"`
	Old   string `json:"old,omitempty"`
	New   string `json:"new,omitempty"`
	// Run: the resource is a perf run's (package perfrun).
	Run bool `json:"run,omitempty"`
	// Alerts are a PrometheusRule's alert changes (WarnAlerts): "+ ",
	// "- " or "~ " and the alert with its labels.
	Alerts []string `json:"alerts,omitempty"`
}

// Title is the warning's heading, e.g. "Node reboot".
func (w *Warning) Title() string { return warningTitles[w.Kind] }

// Subject says where: the cluster and the pool or the resource.
func (w *Warning) Subject() string {
	where := w.Cluster
	if where == "" {
		where = "every cluster (base/)"
	}
	switch w.Kind {
	case WarnReboot, WarnDrain:
		return where + " " + w.nodes()
	case WarnCPUs:
		return where + " " + strings.Join(w.Resources, ", ") + " " + w.Field
	}
	return where + " " + strings.Join(w.Resources, ", ")
}

// Detail says what: the causes, the old and new CPU sets, or what ArgoCD
// will do.
func (w *Warning) Detail() string {
	switch w.Kind {
	case WarnCPUs:
		return orNone(w.Old) + " → " + orNone(w.New)
	case WarnNotPruned:
		if w.Run {
			return "a superseded perf run: ArgoCD leaves it on the cluster as a record; the retention pass deletes it once it has finished and newer runs are enough"
		}
		return "removed from git but marked Prune=false: ArgoCD leaves it on the cluster; delete it by hand if it should go"
	case WarnAlerts:
		return strings.Join(w.Alerts, "; ")
	case WarnPerfRun:
		return "a new run: it measures this change once every pool it tests runs it, and its results come home as ConfigMap <run>-results (lowlat results pull)"
	}
	return strings.Join(w.Resources, "; ")
}

func (w *Warning) nodes() string {
	count := "unknown node count"
	if w.Nodes != nil {
		count = fmt.Sprintf("%d node", *w.Nodes)
		if *w.Nodes != 1 {
			count += "s"
		}
	}
	if w.Pool == "" && w.Selector == "" {
		return "every node (" + count + ")"
	}
	if w.Pool == "" {
		return "nodes matching " + w.Selector + " (" + count + ")"
	}
	switch {
	case w.Estimate != "" && w.Canary:
		count += fmt.Sprintf(", a canary first, re-tested, then %d at a time: about %s", w.AtOnce, w.Estimate)
	case w.Estimate != "":
		count += fmt.Sprintf(", %d at a time: about %s", w.AtOnce, w.Estimate)
	}
	return "pool " + w.Pool + " (" + count + ")"
}

// formatEstimate rounds a rollout estimate to whole minutes.
func formatEstimate(d time.Duration) string {
	d = d.Round(time.Minute)
	if h := d / time.Hour; h > 0 {
		return fmt.Sprintf("%dh%02dm", h, (d%time.Hour)/time.Minute)
	}
	return fmt.Sprintf("%d min", d/time.Minute)
}

func orNone(s string) string {
	if s == "" {
		return none
	}
	return s
}

// consequences derives the warnings from the changed resources.
func consequences(entries []*entry, base, head *Side) []Warning {
	nodeWarnings := map[string]*Warning{}
	var out []Warning
	for _, e := range entries {
		if kind, ok := nodeEffect(e); ok {
			addNodeWarning(nodeWarnings, kind, e, base, head)
		}
		out = append(out, cpuWarnings(e)...)
		if e.KeptOnCluster {
			out = append(out, Warning{Kind: WarnNotPruned, Cluster: e.loc.Cluster, Resources: []string{e.Identity().String()}, Run: isRun(e.old)})
		}
		if w, ok := alertWarning(e); ok {
			out = append(out, w)
		}
		if e.Change == Added && e.Group == "batch" && e.Kind == "Job" && isRun(e.cur) {
			out = append(out, Warning{Kind: WarnPerfRun, Cluster: e.loc.Cluster, Resources: []string{e.Identity().String()}, Run: true})
		}
	}
	for _, w := range nodeWarnings {
		sort.Strings(w.Resources)
		out = append(out, *w)
	}
	sort.Slice(out, func(i, j int) bool { return warningLess(&out[i], &out[j]) })
	return out
}

// nodeEffect says whether a change reboots or drains nodes. Metadata alone
// (labels, annotations) does not, nor does a removal ArgoCD will not prune;
// a move between Applications may delete and recreate the resource, so it
// counts. Any other spec change counts too, though a few fields (an MCP's
// maxUnavailable) would not reboot: a reviewer is better warned once too
// often.
func nodeEffect(e *entry) (WarningKind, bool) {
	if e.KeptOnCluster {
		return "", false
	}
	var kind WarningKind
	switch {
	case e.Group == "performance.openshift.io" && e.Kind == "PerformanceProfile",
		e.Group == "machineconfiguration.openshift.io" && e.Kind == "MachineConfigPool":
		kind = WarnReboot
	case e.Group == "sriovnetwork.openshift.io" && e.Kind == "SriovNetworkNodePolicy":
		kind = WarnDrain
	default:
		return "", false
	}
	return kind, e.Change != Changed || e.MovedFrom != "" || specChanged(e.Fields)
}

func specChanged(fields []FieldChange) bool {
	for _, f := range fields {
		if f.Path != "apiVersion" && !strings.HasPrefix(f.Path, "metadata") {
			return true
		}
	}
	return false
}

func addNodeWarning(ws map[string]*Warning, kind WarningKind, e *entry, base, head *Side) {
	obj, side := e.cur, head
	if e.Change == Removed {
		obj, side = e.old, base
	}
	n := side.nodesOf(e.loc, obj)
	k := fmt.Sprintf("%s\x00%s\x00%s\x00%s", kind, e.loc.Cluster, n.pool, n.selector)
	w, ok := ws[k]
	if !ok {
		w = &Warning{Kind: kind, Cluster: e.loc.Cluster, Pool: n.pool, Nodes: n.count, Selector: n.selector}
		if kind == WarnReboot && n.np != nil {
			w.AtOnce, w.Canary = n.np.Batch(), n.np.Canary
			w.Estimate = formatEstimate(n.np.RolloutEstimate(canary.Interval))
		}
		ws[k] = w
	}
	cause := e.Identity().String() + " " + string(e.Change)
	if e.MovedFrom != "" {
		cause += " (moved from Application " + e.MovedFrom + ")"
	}
	w.Resources = append(w.Resources, cause)
}

// cpuFields are the PerformanceProfile CPU sets whose change moves work
// between housekeeping and isolated CPUs.
var cpuFields = []string{"reserved", "isolated", "offlined"}

func cpuWarnings(e *entry) []Warning {
	if e.Change != Changed || e.Group != "performance.openshift.io" || e.Kind != "PerformanceProfile" {
		return nil
	}
	var out []Warning
	for _, f := range cpuFields {
		old, cur := cpuSet(e.old, f), cpuSet(e.cur, f)
		if old != cur {
			out = append(out, Warning{
				Kind: WarnCPUs, Cluster: e.loc.Cluster, Resources: []string{e.Identity().String()},
				Field: "spec.cpu." + f, Old: old, New: cur,
			})
		}
	}
	return out
}

func cpuSet(obj map[string]any, field string) string {
	spec, _ := obj["spec"].(map[string]any)
	cpu, _ := spec["cpu"].(map[string]any)
	if v, ok := cpu[field]; ok && v != nil {
		return scalarText(v)
	}
	return ""
}

// pruneDisabled reports whether ArgoCD keeps obj when it leaves git.
func pruneDisabled(obj map[string]any) bool {
	for _, o := range strings.Split(manifest.Annotation(obj, argocd.SyncOptionsAnnotation), ",") {
		if strings.TrimSpace(o) == "Prune=false" {
			return true
		}
	}
	return false
}

func warningLess(a, b *Warning) bool {
	if a.Kind != b.Kind {
		return warningOrder[a.Kind] < warningOrder[b.Kind]
	}
	return warningKey(a) < warningKey(b)
}

func warningKey(w *Warning) string {
	return strings.Join([]string{w.Cluster, w.Pool, w.Selector, strings.Join(w.Resources, ","), w.Field}, "\x00")
}

// isRun reports an object of a perf run: its Job, or its config, which
// carry the run's series or phase label.
func isRun(obj map[string]any) bool {
	meta, _ := obj["metadata"].(map[string]any)
	labels, _ := meta["labels"].(map[string]any)
	return labels[perfrun.SeriesLabel] != nil || labels[perfrun.PhaseLabel] != nil
}

// alertWarning lists the alerts a PrometheusRule change adds, removes or
// changes, each named by its alert and labels, a change with the fields
// that differ.
func alertWarning(e *entry) (Warning, bool) {
	if e.Group != "monitoring.coreos.com" || e.Kind != "PrometheusRule" {
		return Warning{}, false
	}
	old, cur := alertRules(e.old), alertRules(e.cur)
	keys := map[string]bool{}
	for k := range old {
		keys[k] = true
	}
	for k := range cur {
		keys[k] = true
	}
	var changes []string
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		o, inOld := old[k]
		c, inCur := cur[k]
		switch {
		case !inOld:
			changes = append(changes, "+ "+k)
		case !inCur:
			changes = append(changes, "- "+k)
		default:
			var fields []string
			for _, f := range []string{"expr", "for", "labels", "annotations"} {
				if !reflect.DeepEqual(o[f], c[f]) {
					fields = append(fields, f)
				}
			}
			if len(fields) > 0 {
				changes = append(changes, "~ "+k+": "+strings.Join(fields, ", "))
			}
		}
	}
	if len(changes) == 0 {
		return Warning{}, false
	}
	return Warning{Kind: WarnAlerts, Cluster: e.loc.Cluster, Resources: []string{e.Identity().String()}, Alerts: changes}, true
}

// alertRules are a PrometheusRule's alerting rules by their alert name and
// labels: "LowlatHugepagesMissing {pool=cnf-c5, resource=hugepages-1Gi, severity=critical}".
func alertRules(obj map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	spec, _ := obj["spec"].(map[string]any)
	groups, _ := spec["groups"].([]any)
	for _, g := range groups {
		group, _ := g.(map[string]any)
		rules, _ := group["rules"].([]any)
		for _, r := range rules {
			rule, _ := r.(map[string]any)
			name, _ := rule["alert"].(string)
			if name == "" {
				continue
			}
			labels, _ := rule["labels"].(map[string]any)
			var parts []string
			for k, v := range labels {
				if k != "cluster" {
					parts = append(parts, fmt.Sprintf("%s=%v", k, v))
				}
			}
			sort.Strings(parts)
			out[name+" {"+strings.Join(parts, ", ")+"}"] = rule
		}
	}
	return out
}

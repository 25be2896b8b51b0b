//go:build e2e

package rehearse

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/e2e"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/rehearse/timeline"
	"github.com/lowlat/lowlat/generator/rehearse/twin"
	"github.com/lowlat/lowlat/generator/render"
	"github.com/lowlat/lowlat/generator/tree"
	"github.com/lowlat/lowlat/generator/tuning"
)

const repo = "../.."

// faultSpeed runs the fault rehearsals, which must wait out timeouts and
// retries, faster than the default.
const faultSpeed = 300

func load(t *testing.T, file string) (*inventory.Inventory, *tree.Tree) {
	t.Helper()
	inv, err := inventory.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := render.Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	return inv, tr
}

func rehearse(t *testing.T, o Options) *Report {
	t.Helper()
	bin, err := e2e.BinDir(repo)
	if err != nil {
		t.Fatal(err)
	}
	o.BinDir = bin
	if o.Durations == (twin.Durations{}) {
		o.Durations = twin.DefaultDurations()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	rep, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	_ = rep.WriteText(&out)
	t.Logf("rehearsal took %.0f s real:\n%s", time.Since(start).Seconds(), summary(out.String()))
	for _, c := range rep.Clusters {
		if len(c.Errors) > 0 {
			t.Fatalf("cluster %s: the rehearsal's machinery failed: %v", c.Cluster, c.Errors)
		}
	}
	return rep
}

// summary is the report without its timeline, for the test log.
func summary(text string) string {
	var keep []string
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(l, "    ") || strings.HasPrefix(strings.TrimSpace(l), "wave") || strings.HasPrefix(strings.TrimSpace(l), "waits") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// first returns the time of the first event that matches, or fails.
func first(t *testing.T, events []timeline.Event, match func(timeline.Event) bool, what string) time.Duration {
	t.Helper()
	for _, e := range events {
		if match(e) {
			return e.At
		}
	}
	t.Fatalf("no event: %s", what)
	return 0
}

func is(kind timeline.Kind, app, resource, status string) func(timeline.Event) bool {
	return func(e timeline.Event) bool {
		return e.Kind == kind && (app == "" || e.App == app) && (resource == "" || e.Resource == resource) && (status == "" || e.Status == status)
	}
}

func app(t *testing.T, p Pass, name string) AppResult {
	t.Helper()
	for _, a := range p.Apps {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("pass %s has no Application %s", p.Revision, name)
	return AppResult{}
}

// TestWorkshopConverges rolls the workshop tree out and checks the order a
// real cluster needs, not only the end state.
func TestWorkshopConverges(t *testing.T) {
	inv, tr := load(t, repo+"/fixtures/inventories/workshop.yaml")
	rep := rehearse(t, Options{Inventory: inv, To: Revision{Label: "workshop", Tree: tr}})
	if !rep.Converged() {
		t.Fatal("the workshop rollout does not converge")
	}
	c := rep.Clusters[0]
	ev := c.Events
	for _, e := range ev {
		if e.Kind == timeline.Fault {
			t.Errorf("unexpected: %s %s", e.Resource, e.Message)
		}
	}
	tunedC5 := first(t, ev, is(timeline.Run, "", "Job lowlat-system/lowlat-wait-tuned-cnf-c5", "Complete"), "the cnf-c5 rollout gate completes")
	lastC5Node := time.Duration(0)
	for _, e := range ev {
		if e.Kind == timeline.Node && e.Pool == "cnf-c5" && e.Status == "Ready" && e.At > lastC5Node {
			lastC5Node = e.At
		}
	}
	if tunedC5 < lastC5Node {
		t.Errorf("the tuning gate passed at %s, before the last cnf-c5 node came back at %s", tunedC5, lastC5Node)
	}
	networking := first(t, ev, is(timeline.Sync, "lab1-networking", "", "Running"), "networking syncs")
	if networking < tunedC5 {
		t.Errorf("networking synced at %s, before cnf-c5 was tuned at %s: SR-IOV would drain nodes the MCO is rebooting", networking, tunedC5)
	}
	started := first(t, ev, func(e timeline.Event) bool {
		return e.Kind == timeline.Run && strings.HasPrefix(e.Resource, "Job lowlat-workloads/oslat-c5-") && e.Status == "Ran" && strings.HasPrefix(e.Message, "container start:")
	}, "the c5 latency test starts")
	vfs := first(t, ev, is(timeline.Run, "", "Job lowlat-system/lowlat-wait-sriov-cnf-c5-sriov-a", "Complete"), "the SR-IOV gate completes")
	if started < vfs || started < tunedC5 {
		t.Errorf("oslat-c5 started at %s, before its pool was tuned (%s) and its VFs advertised (%s)", started, tunedC5, vfs)
	}
	first(t, ev, func(e timeline.Event) bool {
		return e.Kind == timeline.Run && strings.HasPrefix(e.Resource, "Job lowlat-workloads/oslat-c5-") && e.Status == "Complete"
	}, "the c5 latency test completes")
	operatorConfig := first(t, ev, is(timeline.Sync, "lab1-operator-config", "", "Running"), "operator-config syncs")
	for _, csv := range []string{"sriov-network-operator", "kubevirt-hyperconverged"} {
		gate := first(t, ev, is(timeline.Run, "", "Job lowlat-system/lowlat-wait-csv-"+csv, "Complete"), "the CSV gate of "+csv)
		if operatorConfig < gate {
			t.Errorf("operator CRs synced at %s, before the %s CSV gate at %s", operatorConfig, csv, gate)
		}
	}
	first(t, ev, func(e timeline.Event) bool {
		return e.Kind == timeline.Denied && strings.Contains(e.Message, "ValidatingAdmissionPolicy 'lowlat-kube-burner-namespaces'")
	}, "the admission policy refuses kube-burner's deletion of openshift-gitops")
	want := map[string]int{"cnf-c5": 2, "cnf-i3": 1}
	for _, p := range c.Pools {
		if p.Reboots != want[p.Pool] {
			t.Errorf("pool %s: %d reboots, want one per node (%d)", p.Pool, p.Reboots, want[p.Pool])
		}
	}
}

// TestFleetRolloutThenUpdate rolls a three-cluster fleet out, then an
// update that moves reserved CPUs on two of them: each cluster converges
// twice, and only the changed pools reboot again.
func TestFleetRolloutThenUpdate(t *testing.T) {
	fromInv, before := load(t, repo+"/fixtures/rehearse/fleet.yaml")
	inv, after := load(t, repo+"/fixtures/rehearse/fleet-update.yaml")
	rep := rehearse(t, Options{Inventory: inv, FromInventory: fromInv,
		From: &Revision{Label: "rollout", Tree: before}, To: Revision{Label: "update", Tree: after}, Speed: faultSpeed})
	if !rep.Converged() || len(rep.Clusters) != 3 {
		t.Fatalf("the fleet does not converge in both passes on all three clusters")
	}
	wantUpdateReboots := map[string]int{"edge-a": 2, "edge-b": 0, "edge-c": 1}
	for _, c := range rep.Clusters {
		if len(c.Passes) != 2 {
			t.Fatalf("cluster %s: %d passes, want 2", c.Cluster, len(c.Passes))
		}
		reboots := 0
		for _, e := range c.Events {
			if e.Kind == timeline.Reboot && e.Revision == "update" {
				reboots++
			}
		}
		if reboots != wantUpdateReboots[c.Cluster] {
			t.Errorf("cluster %s: %d reboots in the update, want %d", c.Cluster, reboots, wantUpdateReboots[c.Cluster])
		}
		for _, p := range c.Passes[1].Pruned {
			// A tuning marker of an earlier tuning, or of a pool that left,
			// goes: it merges into nothing, so it reboots nothing.
			if !strings.Contains(p, "/MachineConfig//"+tuning.MarkerPrefix) {
				t.Errorf("cluster %s: the update pruned %s; a pool that leaves the inventory is kept", c.Cluster, p)
			}
		}
	}
}

// TestFaults rehearses what goes wrong on real clusters: each rollout must
// stop where the fault is, name what it waits for, and not run past it.
func TestFaults(t *testing.T) {
	inv, tr := load(t, repo+"/fixtures/inventories/workshop.yaml")
	for _, tc := range []struct {
		name    string
		faults  twin.Faults
		release string     // the twin's operators behave as this release's
		tree    *tree.Tree // instead of the workshop's
		app     string     // the Application that must not become Healthy
		waits   string     // what it must say it waits for
		never   string     // an Application that must never start syncing
	}{
		{"failing baseline run", twin.Faults{FailJob: []string{"kube-burner-baseline"}}, "", nil,
			"lab1-perftest-baseline", "Job.batch lowlat-perf/kube-burner-baseline", "lab1-tuning"},
		{"operator never ready", twin.Faults{StuckOperator: []string{"sriov-network-operator"}}, "", nil,
			"lab1-operators", "Job.batch lowlat-system/lowlat-wait-csv-sriov-network-operator", "lab1-operator-config"},
		{"node lost in its reboot", twin.Faults{LostNode: []string{"lab1-cnf-c5-1"}}, "", nil,
			"lab1-tuning", "MachineConfigPool.machineconfiguration.openshift.io cnf-c5", "lab1-networking"},
		// Before the fixes: an SR-IOV operator without the AWS platform
		// (4.20) denies the policy; the inventory now refuses the network.
		{"SR-IOV operator without the AWS platform", twin.Faults{}, "4.20", nil,
			"lab1-networking", "SriovNetworkNodePolicy.sriovnetwork.openshift.io openshift-sriov-network-operator/cnf-c5-sriov-a", "lab1-workloads"},
		// Before the fixes: the controller with OpenShift GitOps' default
		// rights only.
		{"controller without lowlat's rights", twin.Faults{}, "", withoutFiles(t, tr, "-application-controller.yaml"),
			"lab1-operators", "", "lab1-operator-config"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt := tr
			if tc.tree != nil {
				rt = tc.tree
			}
			rep := rehearse(t, Options{Inventory: inv, To: Revision{Label: "workshop", Tree: rt}, Faults: tc.faults,
				TwinRelease: tc.release, Speed: faultSpeed, Timeout: 4 * time.Hour})
			if rep.Converged() {
				t.Fatal("the rollout converged despite the fault")
			}
			p := rep.Clusters[0].Passes[0]
			a := app(t, p, tc.app)
			if a.Health == "Healthy" && a.Sync == "Synced" && a.Phase == "Succeeded" {
				t.Errorf("%s finished its sync, Synced and Healthy", tc.app)
			}
			if tc.waits != "" {
				found := false
				for _, w := range a.Waiting {
					found = found || w.Resource == tc.waits
				}
				if !found {
					t.Errorf("%s does not say it waits for %s: %+v", tc.app, tc.waits, a.Waiting)
				}
			}
			for _, e := range rep.Clusters[0].Events {
				if e.Kind == timeline.Sync && e.App == tc.never {
					t.Errorf("%s started syncing at %s although %s never finished", tc.never, e.At, tc.app)
					break
				}
			}
		})
	}
}

// TestOlderArgoCDVirtualMachineCheck rehearses on an ArgoCD whose bundled
// VirtualMachine check predates argo-cd PR #29664: the tree converges
// because it ships its own check, and stalls in workloads without it.
func TestOlderArgoCDVirtualMachineCheck(t *testing.T) {
	inv, tr := load(t, repo+"/fixtures/inventories/workshop.yaml")
	old := os.DirFS(repo + "/fixtures/rehearse/argocd-health-pre-29664")
	t.Run("with lowlat's check", func(t *testing.T) {
		rep := rehearse(t, Options{Inventory: inv, To: Revision{Label: "workshop", Tree: tr}, BundledChecks: old, Speed: faultSpeed})
		if !rep.Converged() {
			t.Fatal("the rollout does not converge on the older ArgoCD")
		}
	})
	t.Run("without it", func(t *testing.T) {
		rep := rehearse(t, Options{Inventory: inv, To: Revision{Label: "workshop", Tree: withoutCheck(t, tr, "VirtualMachine")},
			BundledChecks: old, Speed: faultSpeed, Timeout: 6 * time.Hour})
		if rep.Converged() {
			t.Fatal("the rollout converged without the VirtualMachine check; the older check is not in effect")
		}
		a := app(t, rep.Clusters[0].Passes[0], "lab1-workloads")
		found := false
		for _, w := range a.Waiting {
			found = found || (strings.HasPrefix(w.Resource, "VirtualMachine.kubevirt.io") && w.Health == "Suspended")
		}
		if !found {
			t.Errorf("lab1-workloads should wait for its Suspended VM: %+v", a)
		}
	})
}

// withoutFiles copies tr without the files whose path ends in suffix, and
// without them in their kustomization.
func withoutFiles(t *testing.T, tr *tree.Tree, suffix string) *tree.Tree {
	t.Helper()
	out := tree.New()
	dropped := 0
	for _, p := range tr.Paths() {
		data, _ := tr.File(p)
		if strings.HasSuffix(p, suffix) {
			dropped++
			continue
		}
		if strings.HasSuffix(p, "/kustomization.yaml") {
			var keep []string
			for _, l := range strings.Split(string(data), "\n") {
				if !strings.HasSuffix(l, suffix) {
					keep = append(keep, l)
				}
			}
			data = []byte(strings.Join(keep, "\n"))
		}
		if err := out.AddFile(p, data); err != nil {
			t.Fatal(err)
		}
	}
	if dropped == 0 {
		t.Fatalf("no file ends in %s", suffix)
	}
	return out
}

// withoutCheck copies tr without one kind's check in the ArgoCD CR.
func withoutCheck(t *testing.T, tr *tree.Tree, kind string) *tree.Tree {
	t.Helper()
	out := tree.New()
	for _, p := range tr.Paths() {
		data, _ := tr.File(p)
		if strings.HasSuffix(p, "apps/health/openshift-gitops/argocd-openshift-gitops.yaml") {
			var cr map[string]any
			if err := yaml.Unmarshal(data, &cr); err != nil {
				t.Fatal(err)
			}
			spec := cr["spec"].(map[string]any)
			var keep []any
			for _, c := range spec["resourceHealthChecks"].([]any) {
				if c.(map[string]any)["kind"] != kind {
					keep = append(keep, c)
				}
			}
			spec["resourceHealthChecks"] = keep
			if data, _ = yaml.Marshal(cr); len(keep) == 0 {
				t.Fatal("no checks left")
			}
		}
		if err := out.AddFile(p, data); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

package ordering

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/argocd"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/render"
	"github.com/lowlat/lowlat/generator/tree"
)

func TestRenderedTreesAreOrdered(t *testing.T) {
	for _, tc := range []struct {
		name, inventory string
		withoutApps     bool
	}{
		{name: "every kind, synced as an app-of-apps", inventory: "testdata/inventory.yaml"},
		{name: "every kind, the overlay synced as one Application", inventory: "testdata/inventory.yaml", withoutApps: true},
		{name: "the workshop", inventory: "../../fixtures/inventories/workshop.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := renderTree(t, tc.inventory, tc.withoutApps)
			vs, err := Check(tr)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				t.Error(v)
			}
		})
	}
}

// TestABrokenTreeBreaksEachRule moves one thing at a time to where ArgoCD
// would sync it too early, and expects the rule that forbids it.
func TestABrokenTreeBreaksEachRule(t *testing.T) {
	const apps = "apps/lab/"
	const overlay = "overlays/aws/lab/"
	for _, tc := range []struct {
		name     string
		file     string
		edit     func(obj map[string]any)
		rule     string
		resource string
	}{
		{name: "operator CRs in a wave before the operators", file: apps + "application-lab-operator-config.yaml",
			edit: setWave(-20), rule: RuleCRD, resource: "HyperConverged openshift-cnv/kubevirt-hyperconverged"},
		{name: "SR-IOV policies with the operator config", file: apps + "application-lab-networking.yaml",
			edit: setWave(-10), rule: RuleCRD, resource: "SriovNetworkNodePolicy openshift-sriov-network-operator/cnf-fronthaul"},
		{name: "an attachment before its policy", file: overlay + "networking/networkattachmentdefinition-fronthaul.yaml",
			edit: setWave(4), rule: RuleNAD, resource: "NetworkAttachmentDefinition ran/fronthaul"},
		{name: "an attachment whose policy is gone", file: overlay + "networking/sriovnetworknodepolicy-cnf-fronthaul.yaml",
			edit: setField("resourceName", "other"), rule: RuleNAD, resource: "NetworkAttachmentDefinition ran/fronthaul"},
		{name: "workloads synced with the networks", file: apps + "application-lab-workloads.yaml",
			edit: setWave(5), rule: RuleWorkload, resource: "VirtualMachine ran/du"},
		{name: "workloads before the tuning", file: apps + "application-lab-workloads.yaml",
			edit: setWave(-1), rule: RuleWorkload, resource: "Job ran/oslat-storage-"},
		{name: "the re-test before the change", file: apps + "application-lab-perftest-retest.yaml",
			edit: setWave(-1), rule: RuleRetest, resource: "Job ran-perf/kube-burner-retest-"},
		{name: "the baseline with the change", file: apps + "application-lab-perftest-baseline.yaml",
			edit: setWave(0), rule: RuleBaseline, resource: "Job ran-perf/kube-burner-baseline"},
		{name: "the machines with the baseline test", file: apps + "application-lab-machines.yaml",
			edit: setWave(-3), rule: RuleMachines, resource: "MachineSet openshift-machine-api/lab-x7k2p-cnf-us-east-2a"},
		{name: "operators after what lives in their namespaces", file: apps + "application-lab-operators.yaml",
			edit: setWave(30), rule: RuleNamespace, resource: "HyperConverged openshift-cnv/kubevirt-hyperconverged"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := edit(t, renderTree(t, "testdata/inventory.yaml", false), tc.file, tc.edit)
			vs, err := Check(tr)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				if v.Rule == tc.rule && (v.Resource.ID.String() == tc.resource || strings.HasSuffix(tc.resource, "-") && strings.HasPrefix(v.Resource.ID.String(), tc.resource)) {
					if !strings.Contains(v.String(), "wave") || !strings.Contains(v.String(), v.Resource.Path) {
						t.Errorf("violation does not say where: %s", v)
					}
					return
				}
			}
			t.Errorf("no %q violation for %s; got:\n%s", tc.rule, tc.resource, join(vs))
		})
	}
}

func TestAnApplicationOfAnotherTreeIsAnError(t *testing.T) {
	tr := edit(t, renderTree(t, "testdata/inventory.yaml", false), "apps/lab/application-lab-tuning.yaml",
		func(obj map[string]any) {
			obj["spec"].(map[string]any)["source"].(map[string]any)["path"] = "elsewhere/tuning"
		})
	_, err := Check(tr)
	if err == nil || !strings.Contains(err.Error(), `"elsewhere/tuning"`) {
		t.Fatalf("got %v, want an error naming the path", err)
	}
}

func TestPositionsOrderLikeArgoCD(t *testing.T) {
	for _, tc := range []struct {
		name   string
		a, b   Position
		before bool
	}{
		{"an earlier Application finishes first, whatever the resource waves", Position{"x", -10, 99}, Position{"y", -5, -99}, true},
		{"two Applications of one wave sync in parallel", Position{"x", 5, 0}, Position{"y", 5, 1}, false},
		{"within one Application the resource wave orders", Position{"x", 5, 5}, Position{"x", 5, 6}, true},
		{"within one Application one wave is not before itself", Position{"x", 5, 5}, Position{"x", 5, 5}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a.Before(tc.b); got != tc.before {
				t.Errorf("got %v", got)
			}
		})
	}
}

func renderTree(t *testing.T, file string, withoutApps bool) *tree.Tree {
	t.Helper()
	inv, err := inventory.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if withoutApps {
		inv.Spec.GitOps.RepoURL = ""
	}
	tr, err := render.Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// edit returns a copy of tr with one file's object changed.
func edit(t *testing.T, tr *tree.Tree, file string, change func(map[string]any)) *tree.Tree {
	t.Helper()
	out := tree.New()
	found := false
	for _, p := range tr.Paths() {
		data, _ := tr.File(p)
		data = []byte(strings.TrimPrefix(string(data), tree.Header))
		if p == file {
			found = true
			obj, err := manifest.File(p, data)
			if err != nil {
				t.Fatal(err)
			}
			change(obj)
			j, _ := json.Marshal(obj)
			if data, err = yaml.JSONToYAML(j); err != nil {
				t.Fatal(err)
			}
		}
		if err := out.AddFile(p, data); err != nil {
			t.Fatal(err)
		}
	}
	if !found {
		t.Fatalf("no %s in the rendered tree; files: %v", file, tr.Paths())
	}
	return out
}

func setWave(w int) func(map[string]any) {
	return func(obj map[string]any) {
		obj["metadata"].(map[string]any)["annotations"].(map[string]any)[argocd.SyncWaveAnnotation] = strconv.Itoa(w)
	}
}

func setField(field, value string) func(map[string]any) {
	return func(obj map[string]any) { obj["spec"].(map[string]any)[field] = value }
}

func join(vs []Violation) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString(v.String() + "\n")
	}
	return b.String()
}

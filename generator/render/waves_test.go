package render

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/argocd"
	"github.com/lowlat/lowlat/generator/kube"
)

func TestEveryComponentHasAWaveInSyncOrder(t *testing.T) {
	last := projectWave()
	for _, comp := range Components {
		w, err := ComponentWave(comp.Name)
		if err != nil {
			t.Fatal(err)
		}
		if w <= last {
			t.Errorf("%s: wave %d does not follow the previous component's %d", comp.Name, w, last)
		}
		last = w
	}
	if len(componentWaves) != len(Components) {
		t.Errorf("%d waves for %d components", len(componentWaves), len(Components))
	}
}

type testObject struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta `json:"metadata"`
	Data          string          `json:"data,omitempty"`
}

func object(apiVersion, kind, name string, annotations map[string]string) testObject {
	return testObject{TypeMeta: kube.TypeMeta{APIVersion: apiVersion, Kind: kind}, Metadata: kube.ObjectMeta{Name: name, Annotations: annotations}}
}

func TestAnnotateSetsTheWaveAndTheOptionsOfTheKind(t *testing.T) {
	big := object("v1", "ConfigMap", "templates", nil)
	big.Data = strings.Repeat("x", serverSideApplyAbove)
	for _, tc := range []struct {
		name      string
		component string
		obj       any
		want      map[string]any
	}{
		{"a Subscription is kept when it leaves Git, and then ignored by the comparison", ComponentOperators, object("operators.coreos.com/v1alpha1", "Subscription", "s", nil),
			kept("-10", "Delete=false,Prune=false")},
		{"an operator's namespace is kept", ComponentOperators, object("v1", "Namespace", "openshift-cnv", nil),
			kept("-10", "Delete=false,Prune=false")},
		{"a workloads namespace is kept too: deleting it deletes the workloads", ComponentOperators, object("v1", "Namespace", "lowlat-workloads", nil),
			kept("-10", "Delete=false,Prune=false")},
		{"a re-test that git no longer holds is kept", ComponentPerftestRetest, object("batch/v1", "Job", "kube-burner-retest-0123456789", nil),
			kept("20", "Delete=false,Prune=false")},
		{"so is its config", ComponentPerftestRetest, object("v1", "ConfigMap", "kube-burner-retest-0123456789", nil),
			kept("20", "Delete=false,Prune=false")},
		{"the SR-IOV operator's configuration is kept", ComponentOperatorConfig, object("sriovnetwork.openshift.io/v1", "SriovOperatorConfig", "default", nil),
			kept("-5", "Delete=false,Prune=false,SkipDryRunOnMissingResource=true")},
		{"HyperConverged skips the dry run and is kept", ComponentOperatorConfig, object("hco.kubevirt.io/v1beta1", "HyperConverged", "h", nil),
			kept("-5", "Delete=false,Prune=false,SkipDryRunOnMissingResource=true")},
		{"a pool syncs before the profile that selects it", ComponentTuning, object("machineconfiguration.openshift.io/v1", "MachineConfigPool", "p", nil),
			kept("0", "Delete=false,Prune=false")},
		{"a profile syncs a step after its pool", ComponentTuning, object("performance.openshift.io/v2", "PerformanceProfile", "p", nil),
			kept("1", "Delete=false,Prune=false")},
		{"an attachment syncs a step after its policy", ComponentNetworking, object("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition", "n", map[string]string{"k": "v"}),
			map[string]any{argocd.SyncWaveAnnotation: "6", "k": "v"}},
		{"options an object already has are kept", ComponentWorkloads, object("kubevirt.io/v1", "VirtualMachine", "vm", map[string]string{argocd.SyncOptionsAnnotation: "Replace=true"}),
			map[string]any{argocd.SyncWaveAnnotation: "10", argocd.SyncOptionsAnnotation: "Replace=true,SkipDryRunOnMissingResource=true"}},
		{"an object too large for client-side apply is applied server-side", ComponentPerftestRetest, big,
			map[string]any{argocd.SyncWaveAnnotation: "20", argocd.SyncOptionsAnnotation: "ServerSideApply=true"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := annotate(tc.component, tc.obj)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got["metadata"].(map[string]any)["annotations"]); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// kept is the annotations of an object ArgoCD never deletes.
func kept(wave, options string) map[string]any {
	return map[string]any{argocd.SyncWaveAnnotation: wave, argocd.SyncOptionsAnnotation: options, argocd.CompareOptionsAnnotation: "IgnoreExtraneous"}
}

func TestAnnotateRefusesWavesFromElsewhere(t *testing.T) {
	for _, tc := range []struct {
		name, component string
		obj             any
		want            string
	}{
		{"an object with its own wave", ComponentTuning, object("v1", "ConfigMap", "c", map[string]string{argocd.SyncWaveAnnotation: "3"}), "sets its own sync wave"},
		{"a component without a wave", "unknown", object("v1", "ConfigMap", "c", nil), `component "unknown" has no sync wave`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := annotate(tc.component, tc.obj)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

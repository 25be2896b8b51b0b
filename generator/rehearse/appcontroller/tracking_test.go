package appcontroller

import (
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestTrackingFollowsArgoCDsAnnotation(t *testing.T) {
	pool := &unstructured.Unstructured{}
	pool.SetAPIVersion("machineconfiguration.openshift.io/v1")
	pool.SetKind("MachineConfigPool")
	pool.SetName("cnf-c5")
	setTracking(pool, "lab1-tuning", "lowlat-system")
	// A cluster-scoped object carries the destination namespace.
	if got := pool.GetAnnotations()[trackingAnnotation]; got != "lab1-tuning:machineconfiguration.openshift.io/MachineConfigPool:lowlat-system/cnf-c5" {
		t.Errorf("tracking id %q", got)
	}
	if trackedBy(pool) != "lab1-tuning" || !selfReferenced(pool, "lowlat-system") {
		t.Error("the object is not its own Application's")
	}
	// A copy of a tracked object under another name is not self-referenced:
	// ArgoCD neither syncs nor prunes it.
	cp := pool.DeepCopy()
	cp.SetName("copy")
	if selfReferenced(cp, "lowlat-system") {
		t.Error("a copy counts as self-referenced")
	}
	junk := &unstructured.Unstructured{}
	junk.SetAnnotations(map[string]string{trackingAnnotation: "not-a-tracking-id"})
	if trackedBy(junk) != "" {
		t.Error("an unparsable annotation names an Application")
	}
}

func TestRemoteDestinations(t *testing.T) {
	for d, want := range map[v1alpha1.ApplicationDestination]bool{
		{Server: "https://kubernetes.default.svc"}:  false,
		{Name: "in-cluster"}:                        false,
		{Name: "edge-b"}:                            true,
		{Server: "https://api.edge-c.example:6443"}: true,
	} {
		if got := remote(d); got != want {
			t.Errorf("%+v: remote %v, want %v", d, got, want)
		}
	}
}

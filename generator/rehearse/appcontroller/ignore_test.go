package appcontroller

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func pool(name string, paused any) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "machineconfiguration.openshift.io/v1", "kind": "MachineConfigPool",
		"metadata": map[string]any{"name": name}, "spec": map[string]any{"maxUnavailable": int64(1)},
	}}
	if paused != nil {
		_ = unstructured.SetNestedField(u.Object, paused, "spec", "paused")
	}
	return u
}

// TestIgnoredFields: the ignored field leaves the comparison of the named
// object only, and a sync keeps its live value (or its absence) on an
// object that exists while a new object is created as git has it.
func TestIgnoredFields(t *testing.T) {
	rules := ignoredFields{{Group: "machineconfiguration.openshift.io", Kind: "MachineConfigPool", Name: "cnf", JSONPointers: []string{"/spec/paused"}}}
	cnf, other := pool("cnf", true), pool("other", true)
	if err := rules.Normalize(cnf); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := unstructured.NestedFieldNoCopy(cnf.Object, "spec", "paused"); found {
		t.Error("spec.paused of cnf is still compared")
	}
	_ = rules.Normalize(other)
	if _, found, _ := unstructured.NestedFieldNoCopy(other.Object, "spec", "paused"); !found {
		t.Error("spec.paused of another pool was dropped")
	}

	targets := []*unstructured.Unstructured{pool("cnf", true), pool("cnf", true), pool("cnf", true)}
	lives := []*unstructured.Unstructured{pool("cnf", false), pool("cnf", nil), nil}
	got := rules.respectLive(targets, lives)
	for i, want := range []any{false, nil, true} {
		v, found, _ := unstructured.NestedFieldNoCopy(got[i].Object, "spec", "paused")
		if (want == nil && found) || (want != nil && v != want) {
			t.Errorf("target %d: paused %v (found %v), want %v", i, v, found, want)
		}
	}
	if v, _, _ := unstructured.NestedFieldNoCopy(targets[0].Object, "spec", "paused"); v != true {
		t.Error("the desired object itself was changed")
	}
}

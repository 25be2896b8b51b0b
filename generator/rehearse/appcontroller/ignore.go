package appcontroller

import (
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// ignoredFields is an Application's spec.ignoreDifferences, as argo-cd
// v3.3.19 applies it with jsonPointers (util/argo/normalizers
// NewIgnoreNormalizer): the fields are removed from the desired and the live
// object alike before they are compared. jqPathExpressions and
// managedFieldsManagers are not modelled; lowlat renders neither.
type ignoredFields []v1alpha1.ResourceIgnoreDifferences

// pointers are the JSON pointers that apply to un.
func (rules ignoredFields) pointers(un *unstructured.Unstructured) []string {
	var out []string
	gvk := un.GroupVersionKind()
	for _, r := range rules {
		if r.Group == gvk.Group && r.Kind == gvk.Kind && (r.Name == "" || r.Name == un.GetName()) &&
			(r.Namespace == "" || r.Namespace == un.GetNamespace()) {
			out = append(out, r.JSONPointers...)
		}
	}
	return out
}

// Normalize drops the ignored fields (a diff.Normalizer).
func (rules ignoredFields) Normalize(un *unstructured.Unstructured) error {
	for _, p := range rules.pointers(un) {
		unstructured.RemoveNestedField(un.Object, pointerPath(p)...)
	}
	return nil
}

// respectLive is what RespectIgnoreDifferences=true does to the objects a
// sync applies (argo-cd v3.3.19 controller/sync.go
// normalizeTargetResources): an object that exists keeps the live value of
// each ignored field, or has none when the live object has none; an object
// still to be created is applied as git has it.
func (rules ignoredFields) respectLive(targets, lives []*unstructured.Unstructured) []*unstructured.Unstructured {
	out := make([]*unstructured.Unstructured, len(targets))
	for i, target := range targets {
		out[i] = target
		if target == nil || lives[i] == nil {
			continue
		}
		pointers := rules.pointers(target)
		if len(pointers) == 0 {
			continue
		}
		patched := target.DeepCopy()
		for _, p := range pointers {
			fields := pointerPath(p)
			if v, found, _ := unstructured.NestedFieldCopy(lives[i].Object, fields...); found {
				_ = unstructured.SetNestedField(patched.Object, v, fields...)
			} else {
				unstructured.RemoveNestedField(patched.Object, fields...)
			}
		}
		out[i] = patched
	}
	return out
}

// pointerPath splits a JSON pointer (RFC 6901) into its field names.
func pointerPath(p string) []string {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return parts
}

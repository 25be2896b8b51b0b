package schema

import (
	"encoding/json"

	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// metaRules are what a kind demands of its metadata.
type metaRules struct {
	namespaced bool
	// nameFn is the API server's rule for metadata.name; nil means DNS
	// subdomain, the rule for custom resources.
	nameFn apivalidation.ValidateNameFunc
	// optional is set for kinds never sent to an API server (Kustomization).
	optional bool
}

// validateMetadata checks metadata as the API server does on create.
// Namespaced resources may leave metadata.namespace empty: kustomize or the
// ArgoCD Application sets it when the tree is applied.
func validateMetadata(obj map[string]any, r metaRules) field.ErrorList {
	p := field.NewPath("metadata")
	raw, ok := obj["metadata"]
	if !ok && r.optional {
		return nil
	}
	if !ok {
		return field.ErrorList{field.Required(p, "every resource has metadata with at least a name")}
	}
	if _, isMap := raw.(map[string]any); !isMap {
		return field.ErrorList{field.TypeInvalid(p, raw, "must be an object")}
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return field.ErrorList{field.Invalid(p, raw, err.Error())}
	}
	var meta metav1.ObjectMeta
	errs, ok := strictDecode(data, &meta, p)
	if !ok {
		return errs
	}
	nameFn := r.nameFn
	if nameFn == nil {
		nameFn = apivalidation.NameIsDNSSubdomain
	}
	if r.namespaced && meta.Namespace == "" {
		meta.Namespace = "default" // only so the namespace rule does not fire; see above
	}
	if !r.namespaced && meta.Namespace != "" {
		return append(errs, field.Forbidden(p.Child("namespace"), "not allowed on a cluster-scoped resource"))
	}
	return append(errs, apivalidation.ValidateObjectMetaAccessor(&meta, r.namespaced, nameFn, p)...)
}

package schema

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime"
	k8sschema "k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"

	"github.com/lowlat/lowlat/generator/manifest"
)

// Validator checks resources against the schemas of Sources. It compiles a
// kind's schema the first time an object of that kind is checked, since the
// largest CRDs (ArgoCD's ApplicationSet) take a while to parse. It is safe
// for concurrent use.
type Validator struct {
	mu       sync.Mutex
	sources  map[k8sschema.GroupKind]Source
	compiled map[k8sschema.GroupKind]map[string]*compiled
}

// New returns a validator for every kind in Sources.
func New() *Validator {
	v := &Validator{sources: map[k8sschema.GroupKind]Source{}, compiled: map[k8sschema.GroupKind]map[string]*compiled{}}
	for _, s := range sources {
		v.sources[k8sschema.GroupKind{Group: s.Group, Kind: s.Kind}] = s
	}
	return v
}

// Unknown-field and no-schema problems use these detail texts, so callers and
// tests can tell them apart from the API server's own messages.
const (
	unknownFieldDetail = "unknown field (not in the upstream schema; the API server drops or rejects it)"
	noSchemaDetail     = "no schema for kind"
)

// ValidateObject checks one resource, decoded from JSON or YAML into maps,
// slices and scalars (integers as int64). It returns every problem found.
func (v *Validator) ValidateObject(obj map[string]any) field.ErrorList {
	gvk, errs := typeOf(obj)
	if len(errs) > 0 {
		return errs
	}
	gk := gvk.GroupKind()
	if kind, ok := goKinds[gvk]; ok {
		return append(validateMetadata(obj, kind.meta), kind.check(obj)...)
	}
	versions, err := v.versions(gk)
	if err != nil {
		return field.ErrorList{field.InternalError(field.NewPath("kind"), err)}
	}
	if versions == nil {
		return field.ErrorList{field.Invalid(field.NewPath("kind"), gvk.Kind, fmt.Sprintf("%s %s in %s", noSchemaDetail, gvk.Kind, gvk.GroupVersion()))}
	}
	c, ok := versions[gvk.Version]
	if !ok {
		return field.ErrorList{field.NotSupported(field.NewPath("apiVersion"), gvk.GroupVersion().String(), apiVersions(gk, versions))}
	}
	errs = append(validateMetadata(obj, metaRules{namespaced: c.namespaced}), withoutNewer(c.check(obj), v.sources[gk].Newer)...)
	if admit, ok := admission[gvk]; ok {
		more, decoded := admit(obj)
		// An object that does not decode into its Go type already broke the
		// schema's types; the decode error would only repeat that.
		if decoded || len(errs) == 0 {
			errs = append(errs, more...)
		}
	}
	return errs
}

// withoutNewer drops unknown-field errors at paths the source lists as added
// upstream after its pinned schema.
func withoutNewer(errs field.ErrorList, newer []NewerField) field.ErrorList {
	if len(newer) == 0 {
		return errs
	}
	var out field.ErrorList
	for _, e := range errs {
		if e.Detail == unknownFieldDetail && slices.ContainsFunc(newer, func(f NewerField) bool { return f.Path == e.Field }) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// versions returns the compiled versions of a custom resource kind, or nil
// when no source covers it.
func (v *Validator) versions(gk k8sschema.GroupKind) (map[string]*compiled, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if c, ok := v.compiled[gk]; ok {
		return c, nil
	}
	s, ok := v.sources[gk]
	if !ok || s.File == "" {
		return nil, nil
	}
	data, err := File(s)
	if err != nil {
		return nil, err
	}
	c, err := compileSource(s, data)
	if err != nil {
		return nil, err
	}
	v.compiled[gk] = c
	return c, nil
}

func apiVersions(gk k8sschema.GroupKind, versions map[string]*compiled) []string {
	var out []string
	for ver := range versions {
		out = append(out, gk.WithVersion(ver).GroupVersion().String())
	}
	sort.Strings(out)
	return out
}

// check runs the API server's create-time checks of a custom resource:
// pruning (reported here as unknown fields), the OpenAPI schema, list-type
// uniqueness, embedded resources and CEL rules. Transition rules (those that
// compare with oldSelf) do not apply on create, so they are skipped as the
// API server skips them.
func (c *compiled) check(obj map[string]any) field.ErrorList {
	work := runtime.DeepCopyJSON(obj)
	opts := structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true}
	var errs field.ErrorList
	for _, p := range pruning.PruneWithOptions(work, c.structural, true, opts) {
		errs = append(errs, field.Forbidden(pathOf(p), unknownFieldDetail))
	}
	errs = append(errs, validation.ValidateCustomResource(nil, work, c.validator)...)
	errs = append(errs, listtype.ValidateListSetsAndMaps(nil, c.structural, work)...)
	errs = append(errs, objectmeta.Validate(nil, work, c.structural, false)...)
	if c.cel != nil {
		celErrs, _ := c.cel.Validate(context.Background(), nil, c.structural, work, nil, celconfig.RuntimeCELCostBudget)
		errs = append(errs, celErrs...)
	}
	return errs
}

// typeOf is the object's group, version and kind as manifest identifies
// it, with an error for each of apiVersion and kind that is missing or, by
// the API machinery's rules, malformed. With errors, the result means
// nothing.
func typeOf(obj map[string]any) (k8sschema.GroupVersionKind, field.ErrorList) {
	id := manifest.Identify(obj)
	apiVersion, _ := obj["apiVersion"].(string)
	var errs field.ErrorList
	if apiVersion == "" {
		errs = append(errs, field.Required(field.NewPath("apiVersion"), "every resource names its API group and version"))
	}
	if id.Kind == "" {
		errs = append(errs, field.Required(field.NewPath("kind"), "every resource names its kind"))
	}
	if _, err := k8sschema.ParseGroupVersion(apiVersion); err != nil {
		errs = append(errs, field.Invalid(field.NewPath("apiVersion"), apiVersion, err.Error()))
	}
	return k8sschema.GroupVersionKind{Group: id.Group, Version: id.Version, Kind: id.Kind}, errs
}

// pathOf turns a pruning path such as spec.pages[0].size into a field path
// that prints the same.
func pathOf(p string) *field.Path {
	parts := strings.Split(p, ".")
	return field.NewPath(parts[0], parts[1:]...)
}

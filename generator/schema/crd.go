package schema

import (
	"fmt"
	"sort"
	"strings"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	celschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"
)

// compiled is one served version of a custom resource kind, ready to check
// objects the way the API server does on create.
type compiled struct {
	source     Source
	namespaced bool
	structural *structuralschema.Structural
	validator  validation.SchemaCreateValidator
	// cel evaluates the x-kubernetes-validations rules; nil when there are none.
	cel *celschema.Validator
}

// compileSource turns a source file into its compiled versions, by version.
func compileSource(s Source, data []byte) (map[string]*compiled, error) {
	switch s.Format {
	case FormatCRD:
		return compileCRD(s, data)
	case FormatGoString:
		return compileBareSchema(s, data)
	}
	return nil, fmt.Errorf("%s: format %q has no schema file", s.Kind, s.Format)
}

func compileCRD(s Source, data []byte) (map[string]*compiled, error) {
	var crd apiextv1.CustomResourceDefinition
	if err := yaml.Unmarshal(data, &crd); err != nil {
		return nil, fmt.Errorf("crds/%s: %w", s.File, err)
	}
	if crd.Spec.Group != s.Group || crd.Spec.Names.Kind != s.Kind {
		return nil, fmt.Errorf("crds/%s defines %s %s, not %s %s", s.File, crd.Spec.Group, crd.Spec.Names.Kind, s.Group, s.Kind)
	}
	out := map[string]*compiled{}
	for _, v := range crd.Spec.Versions {
		if !v.Served || v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
			continue
		}
		c, err := compile(s, v.Schema.OpenAPIV3Schema, crd.Spec.Scope == apiextv1.NamespaceScoped)
		if err != nil {
			return nil, fmt.Errorf("crds/%s version %s: %w", s.File, v.Name, err)
		}
		out[v.Name] = c
	}
	return out, nil
}

// kubevirtVersions are the versions KubeVirt serves its kinds under, all with
// the one generated schema.
var kubevirtVersions = []string{"v1", "v1alpha3"}

func compileBareSchema(s Source, data []byte) (map[string]*compiled, error) {
	var doc struct {
		OpenAPIV3Schema *apiextv1.JSONSchemaProps `json:"openAPIV3Schema"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil || doc.OpenAPIV3Schema == nil {
		return nil, fmt.Errorf("crds/%s: no openAPIV3Schema: %v", s.File, err)
	}
	c, err := compile(s, doc.OpenAPIV3Schema, true)
	if err != nil {
		return nil, fmt.Errorf("crds/%s: %w", s.File, err)
	}
	out := map[string]*compiled{}
	for _, v := range kubevirtVersions {
		out[v] = c
	}
	return out, nil
}

// compile converts a v1 schema into the internal form the API server
// validates with, and builds its structural schema (for pruning), OpenAPI
// validator (for types, required fields, enums and patterns) and CEL rules.
func compile(s Source, v1 *apiextv1.JSONSchemaProps, namespaced bool) (*compiled, error) {
	internal := &apiextensions.JSONSchemaProps{}
	if err := apiextv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v1, internal, nil); err != nil {
		return nil, err
	}
	st, err := structuralschema.NewStructural(internal)
	if err != nil {
		return nil, fmt.Errorf("not a structural schema: %w", err)
	}
	val, _, err := validation.NewSchemaValidator(internal)
	if err != nil {
		return nil, err
	}
	return &compiled{source: s, namespaced: namespaced, structural: st, validator: val,
		cel: celschema.NewValidator(st, true, celconfig.PerCallLimit)}, nil
}

// versionList names the versions of a kind, for a message.
func versionList(m map[string]*compiled) string {
	var vs []string
	for v := range m {
		vs = append(vs, v)
	}
	sort.Strings(vs)
	return strings.Join(vs, ", ")
}

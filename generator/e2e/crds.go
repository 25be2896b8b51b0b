package e2e

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lowlat/lowlat/generator/schema"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	k8sschema "k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	kubevirtv1 "kubevirt.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

var crdResource = apiextv1.SchemeGroupVersion.WithResource("customresourcedefinitions")

// crdEstablishTimeout bounds the wait for the API server to serve every CRD.
const crdEstablishTimeout = 2 * time.Minute

// CRDs builds the CustomResourceDefinition of every kind in schema.Sources
// that has a schema file, so the API server judges exactly what `lowlat
// validate` judges. Built-in kinds need none.
func CRDs() ([]*apiextv1.CustomResourceDefinition, error) {
	var out []*apiextv1.CustomResourceDefinition
	for _, s := range schema.Sources() {
		if s.Format == schema.FormatGoType {
			continue
		}
		crd, err := crdFor(s)
		if err != nil {
			return nil, err
		}
		out = append(out, crd)
	}
	return out, nil
}

// CRDFor builds the CustomResourceDefinition of one kind of schema.Sources.
func CRDFor(group, kind string) (*apiextv1.CustomResourceDefinition, error) {
	for _, s := range schema.Sources() {
		if s.Group == group && s.Kind == kind && s.Format != schema.FormatGoType {
			return crdFor(s)
		}
	}
	return nil, fmt.Errorf("no CRD source for %s %s in schema.Sources", group, kind)
}

func crdFor(s schema.Source) (*apiextv1.CustomResourceDefinition, error) {
	data, err := schema.File(s)
	if err != nil {
		return nil, err
	}
	switch s.Format {
	case schema.FormatCRD:
		crd := &apiextv1.CustomResourceDefinition{}
		if err := yaml.UnmarshalStrict(data, crd); err != nil {
			return nil, fmt.Errorf("crd of %s %s (%s): %w", s.Group, s.Kind, s, err)
		}
		if crd.Spec.Group != s.Group || crd.Spec.Names.Kind != s.Kind {
			return nil, fmt.Errorf("crd of %s %s (%s) defines %s %s", s.Group, s.Kind, s, crd.Spec.Group, crd.Spec.Names.Kind)
		}
		addNewerFields(crd, s.Newer)
		return crd, nil
	case schema.FormatGoString:
		return goStringCRD(s, data)
	}
	return nil, fmt.Errorf("%s %s: no CRD for schema format %q", s.Group, s.Kind, s.Format)
}

// goStringNames are the names KubeVirt's virt-operator gives the CRDs it
// builds around its generated schemas (kubevirt.io/kubevirt v1.8.0,
// pkg/virt-operator/resource/generate/components/crds.go).
var goStringNames = map[k8sschema.GroupKind]apiextv1.CustomResourceDefinitionNames{
	{Group: "kubevirt.io", Kind: "VirtualMachine"}: {
		Plural: "virtualmachines", Singular: "virtualmachine", Kind: "VirtualMachine",
		ShortNames: []string{"vm", "vms"}, Categories: []string{"all"},
	},
	{Group: "kubevirt.io", Kind: "VirtualMachineInstance"}: {
		Plural: "virtualmachineinstances", Singular: "virtualmachineinstance", Kind: "VirtualMachineInstance",
		ShortNames: []string{"vmi", "vmis"}, Categories: []string{"all"},
	},
}

// goStringCRD wraps a bare openAPIV3Schema in the CRD virt-operator would
// install: namespaced, every version KubeVirt serves, a status subresource.
func goStringCRD(s schema.Source, data []byte) (*apiextv1.CustomResourceDefinition, error) {
	names, ok := goStringNames[k8sschema.GroupKind{Group: s.Group, Kind: s.Kind}]
	if !ok {
		return nil, fmt.Errorf("%s %s: no CRD names known for its Go-string schema (%s)", s.Group, s.Kind, s)
	}
	var v apiextv1.CustomResourceValidation
	if err := yaml.UnmarshalStrict(data, &v); err != nil || v.OpenAPIV3Schema == nil {
		return nil, fmt.Errorf("%s %s: no openAPIV3Schema in %s: %v", s.Group, s.Kind, s, err)
	}
	crd := &apiextv1.CustomResourceDefinition{
		ObjectMeta: metav1.ObjectMeta{Name: names.Plural + "." + s.Group},
		Spec: apiextv1.CustomResourceDefinitionSpec{
			Group: s.Group, Names: names, Scope: apiextv1.NamespaceScoped,
		},
	}
	for _, ver := range kubevirtv1.ApiSupportedVersions {
		ver.Schema = v.DeepCopy()
		ver.Subresources = &apiextv1.CustomResourceSubresources{Status: &apiextv1.CustomResourceSubresourceStatus{}}
		crd.Spec.Versions = append(crd.Spec.Versions, ver)
	}
	return crd, nil
}

// InstallCRDs creates every CRD of CRDs and waits until the API server
// serves them all.
func (c *Cluster) InstallCRDs(ctx context.Context) (int, error) {
	crds, err := CRDs()
	if err != nil {
		return 0, err
	}
	dyn, err := dynamic.NewForConfig(c.Config)
	if err != nil {
		return 0, err
	}
	return len(crds), CreateCRDs(ctx, dyn, crds)
}

// CreateCRDs creates crds (as a cluster administrator) and waits until the
// API server serves them all.
func CreateCRDs(ctx context.Context, dyn dynamic.Interface, crds []*apiextv1.CustomResourceDefinition) error {
	for _, crd := range crds {
		obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(crd)
		if err != nil {
			return fmt.Errorf("crd %s: %w", crd.Name, err)
		}
		u := &unstructured.Unstructured{Object: obj}
		u.SetAPIVersion(apiextv1.SchemeGroupVersion.String())
		u.SetKind("CustomResourceDefinition")
		opts := metav1.CreateOptions{FieldManager: fieldManager, FieldValidation: metav1.FieldValidationStrict}
		if _, err := dyn.Resource(crdResource).Create(ctx, u, opts); err != nil {
			return fmt.Errorf("install crd %s: %w", crd.Name, err)
		}
	}
	for _, crd := range crds {
		if err := waitEstablished(ctx, dyn, crd.Name); err != nil {
			return err
		}
	}
	return nil
}

// waitEstablished polls until the CRD's Established condition is True, or
// reports the conditions it has when time runs out.
func waitEstablished(ctx context.Context, dyn dynamic.Interface, name string) error {
	deadline := time.Now().Add(crdEstablishTimeout)
	for {
		u, err := dyn.Resource(crdResource).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return fmt.Errorf("crd %s: %w", name, err)
		}
		var crd apiextv1.CustomResourceDefinition
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &crd); err != nil {
			return fmt.Errorf("crd %s: %w", name, err)
		}
		var conds []string
		for _, cond := range crd.Status.Conditions {
			if cond.Type == apiextv1.Established && cond.Status == apiextv1.ConditionTrue {
				return nil
			}
			conds = append(conds, fmt.Sprintf("%s=%s (%s)", cond.Type, cond.Status, cond.Message))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("crd %s not established after %s: %s", name, crdEstablishTimeout, strings.Join(conds, "; "))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// addNewerFields declares the fields upstream added after the pinned CRD
// (schema.Source.Newer) in every version's schema, as the newer CRD a real
// cluster runs does.
func addNewerFields(crd *apiextv1.CustomResourceDefinition, fields []schema.NewerField) {
	for i := range crd.Spec.Versions {
		v := &crd.Spec.Versions[i]
		if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
			continue
		}
		for _, f := range fields {
			addProperty(v.Schema.OpenAPIV3Schema, strings.Split(f.Path, "."), f.Type)
		}
	}
}

func addProperty(props *apiextv1.JSONSchemaProps, path []string, typ string) {
	if props.Properties == nil {
		props.Properties = map[string]apiextv1.JSONSchemaProps{}
	}
	child := props.Properties[path[0]]
	if len(path) == 1 {
		child.Type = typ
	} else {
		if child.Type == "" {
			child.Type = "object"
		}
		addProperty(&child, path[1:], typ)
	}
	props.Properties[path[0]] = child
}

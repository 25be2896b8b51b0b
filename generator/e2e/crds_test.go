package e2e

import (
	"strings"
	"testing"

	"github.com/lowlat/lowlat/generator/schema"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
)

func TestEveryKindWithASchemaFileGetsItsCRD(t *testing.T) {
	crds, err := CRDs()
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string]*apiextv1.CustomResourceDefinition{}
	for _, c := range crds {
		byKind[c.Spec.Group+"/"+c.Spec.Names.Kind] = c
	}
	for _, s := range schema.Sources() {
		c, ok := byKind[s.Group+"/"+s.Kind]
		if (s.Format != schema.FormatGoType) != ok {
			t.Errorf("%s %s (format %s): CRD built = %v", s.Group, s.Kind, s.Format, ok)
		}
		if ok && c.Name != c.Spec.Names.Plural+"."+c.Spec.Group {
			t.Errorf("%s %s: CRD name %q is not <plural>.<group>", s.Group, s.Kind, c.Name)
		}
	}
}

func TestVirtualMachineCRDServesKubeVirtVersions(t *testing.T) {
	crds, err := CRDs()
	if err != nil {
		t.Fatal(err)
	}
	var vm *apiextv1.CustomResourceDefinition
	for _, c := range crds {
		if c.Name == "virtualmachines.kubevirt.io" {
			vm = c
		}
	}
	if vm == nil {
		t.Fatal("no virtualmachines.kubevirt.io CRD")
	}
	var storage []string
	for _, v := range vm.Spec.Versions {
		if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil || v.Subresources == nil || v.Subresources.Status == nil {
			t.Errorf("version %s lacks its schema or status subresource", v.Name)
		}
		if v.Storage {
			storage = append(storage, v.Name)
		}
	}
	if strings.Join(storage, ",") != "v1" || vm.Spec.Scope != apiextv1.NamespaceScoped {
		t.Errorf("storage versions %v, scope %s; want v1, Namespaced", storage, vm.Spec.Scope)
	}
}

func TestGoStringSchemaWithoutKnownNamesIsAnError(t *testing.T) {
	s := schema.Source{Group: "kubevirt.io", Kind: "VirtualMachineInstanceMigration", Format: schema.FormatGoString}
	_, err := goStringCRD(s, []byte("openAPIV3Schema: {type: object}\n"))
	if err == nil || !strings.Contains(err.Error(), "kubevirt.io VirtualMachineInstanceMigration: no CRD names known") {
		t.Errorf("got %v", err)
	}
}

package schema

import (
	"context"
	"os"
	"strings"
	"testing"

	k8sschema "k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
)

func TestEmbeddedCopiesNameTheirPinnedSources(t *testing.T) {
	for _, s := range Sources() {
		if s.File == "" {
			continue
		}
		data, err := File(s)
		if err != nil {
			t.Errorf("%s: %v; run go generate ./generator/schema", s.Kind, err)
			continue
		}
		if want := FileHeader(s); !strings.HasPrefix(string(data), want) {
			t.Errorf("crds/%s is stale: want it to start with\n%s; run go generate ./generator/schema", s.File, want)
		}
	}
}

func TestEveryCustomKindCompilesAndEveryGoKindHasASource(t *testing.T) {
	goSources := map[k8sschema.GroupKind]bool{}
	for _, s := range Sources() {
		gk := k8sschema.GroupKind{Group: s.Group, Kind: s.Kind}
		if s.Format == FormatGoType {
			goSources[gk] = true
			continue
		}
		versions, err := shared.versions(gk)
		if err != nil || len(versions) == 0 {
			t.Errorf("%s: no compiled versions: %v", gk, err)
		}
	}
	for gvk := range goKinds {
		if !goSources[gvk.GroupKind()] {
			t.Errorf("%s is checked as a Go type but Sources does not list it", gvk)
		}
		delete(goSources, gvk.GroupKind())
	}
	for gk := range goSources {
		t.Errorf("Sources lists %s as a Go type that nothing checks", gk)
	}
}

func TestGoTypeModulesMatchGoMod(t *testing.T) {
	data, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Sources() {
		if s.Format == FormatGoType && !strings.Contains(string(data), "\t"+s.Module+" "+s.Version) {
			t.Errorf("%s: go.mod does not require %s %s", s.Kind, s.Module, s.Version)
		}
	}
}

func TestEveryCELRuleCompiles(t *testing.T) {
	for _, s := range Sources() {
		if s.Format == FormatGoType {
			continue
		}
		versions, _ := shared.versions(k8sschema.GroupKind{Group: s.Group, Kind: s.Kind})
		for v, c := range versions {
			// A rule that does not compile would fail every object at
			// validation time with an internal error.
			if c.cel == nil {
				continue
			}
			errs, _ := c.cel.Validate(context.Background(), nil, c.structural, map[string]any{}, nil, celconfig.RuntimeCELCostBudget)
			for _, e := range errs {
				if e.Type == field.ErrorTypeInternal {
					t.Errorf("%s %s: %v", s.Kind, v, e)
				}
			}
		}
	}
}

package krm

import (
	"strconv"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/lowlat/lowlat/generator/inventory"
)

// failure is one error Result about the functionConfig.
func failure(fc *yaml.RNode, err error) framework.Results {
	return framework.Results{{Message: err.Error(), Severity: framework.Error, ResourceRef: ref(fc), File: file(fc)}}
}

// problems turns every inventory problem into an error Result carrying its
// field path and line, so a user sees all of them in one run.
func problems(fc *yaml.RNode, e *inventory.Error) framework.Results {
	var out framework.Results
	for _, p := range e.Problems {
		r := &framework.Result{Message: p.Message, Severity: framework.Error, ResourceRef: ref(fc), File: file(fc)}
		if p.Path != "" {
			r.Field = &framework.Field{Path: p.Path}
		}
		if p.Line > 0 {
			// A Result has no line; a tag keeps it machine-readable.
			r.Tags = map[string]string{"line": strconv.Itoa(p.Line)}
		}
		out = append(out, r)
	}
	return out
}

func ref(fc *yaml.RNode) *yaml.ResourceIdentifier {
	if fc == nil {
		return nil
	}
	return &yaml.ResourceIdentifier{
		TypeMeta: yaml.TypeMeta{APIVersion: fc.GetApiVersion(), Kind: fc.GetKind()},
		NameMeta: yaml.NameMeta{Name: fc.GetName()},
	}
}

// file names the functionConfig's file.
func file(fc *yaml.RNode) *framework.File {
	if fc == nil {
		return nil
	}
	return &framework.File{Path: configPath(fc)}
}

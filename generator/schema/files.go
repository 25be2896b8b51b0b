package schema

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/tree"
)

// Result is the outcome of validating a set of files.
type Result struct {
	Files     int
	Resources int
	Problems  []Problem
}

// ValidateDocument checks one document and returns its problems, each
// with file, line, resource, field path and rule.
func (v *Validator) ValidateDocument(doc Document) []Problem {
	if isInventory(doc.Object) {
		return validateInventory(doc)
	}
	errs := v.ValidateObject(doc.Object)
	if len(errs) == 0 {
		return nil
	}
	resource := resourceName(doc.Object)
	src := v.sourceOf(doc.Object)
	out := make([]Problem, 0, len(errs))
	for _, e := range errs {
		out = append(out, Problem{File: doc.File, Line: doc.LineOf(e.Field), Resource: resource,
			Field: e.Field, Message: e.ErrorBody(), Schema: src})
	}
	return out
}

// ValidateFile checks every document of one file.
func (v *Validator) ValidateFile(file string, data []byte, r *Result) {
	docs, problems := ReadDocuments(file, data)
	r.Files++
	r.Resources += len(docs)
	r.Problems = append(r.Problems, problems...)
	for _, d := range docs {
		r.Problems = append(r.Problems, v.ValidateDocument(d)...)
	}
}

// ValidatePaths checks every .yaml and .yml file under the given files and
// directories. Symlinks inside a directory are not followed.
func (v *Validator) ValidatePaths(paths []string) (*Result, error) {
	r := &Result{}
	for _, root := range paths {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch {
			case d.IsDir():
				return nil
			case p == root: // a file named by the caller is read whatever its name
			case !d.Type().IsRegular() || !isYAML(p):
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			v.ValidateFile(p, data, r)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("validate %s: %w", root, err)
		}
	}
	sortProblems(r.Problems)
	return r, nil
}

// ValidateTree checks a rendered tree in memory.
func (v *Validator) ValidateTree(t *tree.Tree) *Result {
	r := &Result{}
	for _, p := range t.Paths() {
		data, _ := t.File(p)
		v.ValidateFile(p, data, r)
	}
	sortProblems(r.Problems)
	return r
}

func isYAML(p string) bool { return strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") }

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Field < ps[j].Field
	})
}

// resourceName is Kind/name as far as the object says.
func resourceName(obj map[string]any) string {
	id := manifest.Identify(obj)
	kind, name := id.Kind, id.Name
	if kind == "" {
		kind = "(no kind)"
	}
	if name == "" {
		name = "(no name)"
	}
	return kind + "/" + name
}

// sourceOf names the schema an object was checked against.
func (v *Validator) sourceOf(obj map[string]any) string {
	gvk, errs := typeOf(obj)
	if len(errs) > 0 {
		return ""
	}
	if s, ok := v.sources[gvk.GroupKind()]; ok {
		return s.String()
	}
	return ""
}

// IsNoSchema reports whether a problem is a kind without any schema.
func IsNoSchema(p Problem) bool { return strings.Contains(p.Message, noSchemaDetail) }

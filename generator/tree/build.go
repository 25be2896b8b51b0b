package tree

import (
	"fmt"
	"path"

	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/manifest"
)

// File is one object of a tree and the file that holds it.
type File struct {
	Path   string
	Object map[string]any
}

// Build returns the objects `kustomize build dir` emits for a directory of
// a rendered tree, in kustomization order. lowlat's kustomizations only list
// resources, files and directories, so following them is all kustomize does
// with them; a kustomization that uses anything else is an error rather
// than a wrong answer.
func Build(t *Tree, dir string) ([]File, error) {
	return build(t, dir, map[string]bool{})
}

func build(t *Tree, dir string, visiting map[string]bool) ([]File, error) {
	if visiting[dir] {
		return nil, fmt.Errorf("kustomization %s includes itself", dir)
	}
	visiting[dir] = true
	defer delete(visiting, dir)
	resources, err := resourcesOf(t, dir)
	if err != nil {
		return nil, err
	}
	var out []File
	for _, r := range resources {
		p := path.Join(dir, r)
		if data, ok := t.File(p); ok {
			obj, err := manifest.File(p, data)
			if err != nil {
				return nil, err
			}
			out = append(out, File{Path: p, Object: obj})
			continue
		}
		objs, err := build(t, p, visiting)
		if err != nil {
			return nil, err
		}
		out = append(out, objs...)
	}
	return out, nil
}

// resourcesOf reads the resources of dir's kustomization.
func resourcesOf(t *Tree, dir string) ([]string, error) {
	p := path.Join(dir, KustomizationFile)
	data, ok := t.File(p)
	if !ok {
		return nil, fmt.Errorf("%s: no such file in the rendered tree", p)
	}
	var k map[string]any
	if err := yaml.Unmarshal(data, &k); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	var resources []string
	for key, v := range k {
		switch key {
		case "apiVersion", "kind":
		case "resources":
			list, _ := v.([]any)
			for _, r := range list {
				s, _ := r.(string)
				resources = append(resources, s)
			}
		default:
			return nil, fmt.Errorf("%s: uses %q; only resources are followed", p, key)
		}
	}
	return resources, nil
}

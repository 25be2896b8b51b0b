package krm

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lowlat/lowlat/generator/host"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/render"
)

// function runs on one input. WorkDir resolves the topology captures an
// inventory names; empty means the current directory, which is where
// kustomize runs an exec function: the kustomization's directory.
type function struct {
	WorkDir string
	// Cluster, when set, selects the cluster instead of the
	// functionConfig's lowlat.dev/cluster annotation.
	Cluster string
}

// process returns what to emit: the input's items, without the
// inventories marked local-config, then the selected cluster's overlay
// objects. On any problem it returns error Results instead.
func (f function) process(items []*yaml.Node, fc *yaml.Node) ([]*yaml.Node, []map[string]any, Results) {
	objs, results := f.generate(fc)
	if len(results) > 0 {
		return nil, nil, results
	}
	return withoutInventories(items), objs, nil
}

// withoutInventories drops the inventories marked local-config from the
// items: kustomize hands a generator its own config that way, and drops it
// from the output anyway, but only after spending longer on it than the
// function spends rendering.
func withoutInventories(items []*yaml.Node) []*yaml.Node {
	out := make([]*yaml.Node, 0, len(items))
	for _, item := range items {
		local := annotation(item, localConfigAnnotation) == "true"
		if local && scalar(item, "apiVersion") == inventory.APIVersion && scalar(item, "kind") == inventory.Kind {
			continue
		}
		out = append(out, item)
	}
	return out
}

func (f function) generate(fc *yaml.Node) ([]map[string]any, Results) {
	inv, results := f.inventory(fc)
	if results != nil {
		return nil, results
	}
	name, how := annotation(fc, render.FunctionClusterAnnotation), "annotation "+render.FunctionClusterAnnotation
	if f.Cluster != "" {
		name, how = f.Cluster, "--cluster"
	}
	cluster, err := selectCluster(inv, name, how)
	if err != nil {
		return nil, failure(fc, err)
	}
	objs, err := render.ClusterObjects(inv, cluster)
	if err != nil {
		return nil, failure(fc, err)
	}
	return objs, nil
}

// inventory parses the functionConfig like an inventory file, after
// dropping its annotations: they configure the function, and the
// inventory's strict schema has none.
func (f function) inventory(fc *yaml.Node) (*inventory.Inventory, Results) {
	if fc == nil || fc.Kind != yaml.MappingNode {
		return nil, failure(nil, errors.New("no functionConfig: give the Inventory as the function's config"))
	}
	if scalar(fc, "kind") != inventory.Kind || scalar(fc, "apiVersion") != inventory.APIVersion {
		return nil, failure(fc, fmt.Errorf("functionConfig is %s %s; want %s %s", scalar(fc, "apiVersion"), scalar(fc, "kind"), inventory.APIVersion, inventory.Kind))
	}
	doc := fc
	if meta := value(fc, "metadata"); meta != nil && meta.Kind == yaml.MappingNode {
		doc = withoutKey(fc, "metadata")
		doc.Content = append(doc.Content, str("metadata"), withoutKey(meta, "annotations"))
	}
	dir := f.WorkDir
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			return nil, failure(fc, err)
		}
	}
	inv, err := inventory.ParseNode(doc, configPath(fc), host.OS(dir))
	var invErr *inventory.Error
	switch {
	case errors.As(err, &invErr):
		return nil, problems(fc, invErr)
	case err != nil:
		return nil, failure(fc, err)
	}
	return inv, nil
}

// selectCluster picks the named cluster (named by how), or the only one.
func selectCluster(inv *inventory.Inventory, name, how string) (string, error) {
	var names []string
	for _, c := range inv.Spec.Clusters {
		if c.Name == name {
			return name, nil
		}
		names = append(names, c.Name)
	}
	switch {
	case name != "":
		return "", fmt.Errorf("%s names cluster %q, which the inventory does not have; it has %s", how, name, strings.Join(names, ", "))
	case len(names) == 1:
		return names[0], nil
	}
	return "", fmt.Errorf("the inventory has clusters %s: select one with the annotation %s (or, run by hand, with --cluster)", strings.Join(names, ", "), render.FunctionClusterAnnotation)
}

// configPath is the functionConfig's file as kustomize reports it, for
// the Results; "functionConfig" when it does not say.
func configPath(fc *yaml.Node) string {
	for _, key := range []string{pathAnnotation, legacyPathAnnotation} {
		if p := annotation(fc, key); p != "" {
			return p
		}
	}
	return "functionConfig"
}

// failure is one error Result about the functionConfig.
func failure(fc *yaml.Node, err error) Results {
	return Results{{Message: err.Error(), Severity: "error", ResourceRef: ref(fc), File: file(fc)}}
}

// problems turns every inventory problem into an error Result carrying its
// field path and line, so a user sees all of them in one run.
func problems(fc *yaml.Node, e *inventory.Error) Results {
	var out Results
	for _, p := range e.Problems {
		r := Result{Message: p.Message, Severity: "error", ResourceRef: ref(fc), File: file(fc)}
		if p.Path != "" {
			r.Field = &Field{Path: p.Path}
		}
		if p.Line > 0 {
			// A Result has no line; a tag keeps it machine-readable.
			r.Tags = map[string]string{"line": strconv.Itoa(p.Line)}
		}
		out = append(out, r)
	}
	return out
}

func ref(fc *yaml.Node) *ResourceRef {
	if fc == nil {
		return nil
	}
	return &ResourceRef{APIVersion: scalar(fc, "apiVersion"), Kind: scalar(fc, "kind"), Name: scalar(fc, "metadata", "name")}
}

// file names the functionConfig's file.
func file(fc *yaml.Node) *File {
	if fc == nil {
		return nil
	}
	return &File{Path: configPath(fc)}
}

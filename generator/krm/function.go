package krm

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio/filters"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/render"
)

// Processor is the function. WorkDir resolves the topology captures an
// inventory names; empty means the current directory, which is where
// kustomize runs an exec function: the kustomization's directory.
type Processor struct {
	WorkDir string
}

// Process appends the selected cluster's overlay objects to the items. On
// any problem it sets error Results and returns them, so the framework
// writes them and the command exits non-zero.
func (p *Processor) Process(rl *framework.ResourceList) error {
	objs, results := p.generate(rl.FunctionConfig)
	if len(results) > 0 {
		rl.Results = append(rl.Results, results...)
		return rl.Results
	}
	rl.Items = append(withoutInventories(rl.Items), objs...)
	return nil
}

// withoutInventories drops the inventories marked local-config from the
// items: kustomize hands a generator its own config that way, and drops it
// from the output anyway, but only after spending longer on it than the
// function spends rendering.
func withoutInventories(items []*yaml.RNode) []*yaml.RNode {
	out := items[:0]
	for _, item := range items {
		local := item.GetAnnotations()[filters.LocalConfigAnnotation] == "true"
		if local && item.GetApiVersion() == inventory.APIVersion && item.GetKind() == inventory.Kind {
			continue
		}
		out = append(out, item)
	}
	return out
}

func (p *Processor) generate(fc *yaml.RNode) ([]*yaml.RNode, framework.Results) {
	inv, results := p.inventory(fc)
	if results != nil {
		return nil, results
	}
	cluster, err := selectCluster(inv, fc.GetAnnotations()[render.FunctionClusterAnnotation])
	if err != nil {
		return nil, failure(fc, err)
	}
	objs, err := render.ClusterObjects(inv, cluster)
	if err != nil {
		return nil, failure(fc, err)
	}
	return toNodes(fc, objs)
}

// inventory parses the functionConfig like an inventory file, after
// dropping its annotations: they configure the function, and the
// inventory's strict schema has none.
func (p *Processor) inventory(fc *yaml.RNode) (*inventory.Inventory, framework.Results) {
	if fc == nil {
		return nil, failure(nil, errors.New("no functionConfig: give the Inventory as the function's config"))
	}
	if fc.GetKind() != inventory.Kind || fc.GetApiVersion() != inventory.APIVersion {
		return nil, failure(fc, fmt.Errorf("functionConfig is %s %s; want %s %s", fc.GetApiVersion(), fc.GetKind(), inventory.APIVersion, inventory.Kind))
	}
	doc := fc.Copy()
	if err := doc.PipeE(yaml.Lookup("metadata"), yaml.Clear("annotations")); err != nil {
		return nil, failure(fc, err)
	}
	data, err := doc.String()
	if err != nil {
		return nil, failure(fc, err)
	}
	dir := p.WorkDir
	if dir == "" {
		if dir, err = os.Getwd(); err != nil {
			return nil, failure(fc, err)
		}
	}
	inv, err := inventory.Parse([]byte(data), configPath(fc), dir)
	var invErr *inventory.Error
	switch {
	case errors.As(err, &invErr):
		return nil, problems(fc, invErr)
	case err != nil:
		return nil, failure(fc, err)
	}
	return inv, nil
}

// selectCluster picks the annotated cluster, or the only one.
func selectCluster(inv *inventory.Inventory, name string) (string, error) {
	var names []string
	for _, c := range inv.Spec.Clusters {
		if c.Name == name {
			return name, nil
		}
		names = append(names, c.Name)
	}
	switch {
	case name != "":
		return "", fmt.Errorf("annotation %s names cluster %q, which the inventory does not have; it has %s", render.FunctionClusterAnnotation, name, strings.Join(names, ", "))
	case len(names) == 1:
		return names[0], nil
	}
	return "", fmt.Errorf("the inventory has clusters %s: select one with the annotation %s", strings.Join(names, ", "), render.FunctionClusterAnnotation)
}

func toNodes(fc *yaml.RNode, objs []map[string]any) ([]*yaml.RNode, framework.Results) {
	out := make([]*yaml.RNode, 0, len(objs))
	for _, obj := range objs {
		node, err := toNode(obj)
		if err != nil {
			return nil, failure(fc, err)
		}
		out = append(out, yaml.NewRNode(node))
	}
	return out, nil
}

// configPath is the functionConfig's file as kustomize reports it, for
// the Results; "functionConfig" when it does not say.
func configPath(fc *yaml.RNode) string {
	ann := fc.GetAnnotations()
	for _, key := range []string{kioutil.PathAnnotation, kioutil.LegacyPathAnnotation} {
		if p := ann[key]; p != "" {
			return p
		}
	}
	return "functionConfig"
}

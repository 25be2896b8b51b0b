package render

import (
	"fmt"
	"path"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/tree"
)

// Render builds the whole tree for a validated inventory.
func Render(inv *inventory.Inventory) (*tree.Tree, error) {
	t := tree.New()
	extra := map[string][]string{}
	shared, err := renderBase(t, inv)
	if err != nil {
		return nil, err
	}
	clusters := map[string]renderedCluster{}
	for i := range inv.Spec.Clusters {
		c := &inv.Spec.Clusters[i]
		dirs, objs, err := renderCluster(t, inv, c, shared)
		if err != nil {
			return nil, err
		}
		for dir, refs := range dirs {
			extra[dir] = refs
		}
		clusters[c.Name] = objs
	}
	if err := renderApps(t, inv, clusters); err != nil {
		return nil, err
	}
	if err := t.Kustomize(extra); err != nil {
		return nil, err
	}
	if err := renderKRM(t, inv); err != nil {
		return nil, err
	}
	return t, nil
}

// renderedCluster holds a cluster's objects by component, as its overlay
// builds them: the component's base objects first.
type renderedCluster map[string][]map[string]any

// renderBase adds the objects every cluster shares, by component.
func renderBase(t *tree.Tree, inv *inventory.Inventory) (map[string][]map[string]any, error) {
	shared := map[string][]map[string]any{}
	for _, comp := range Components {
		if comp.Base == nil {
			continue
		}
		objs, err := comp.Base(inv)
		if err != nil {
			return nil, err
		}
		if shared[comp.Name], err = addAll(t, layout.BaseDir(comp.Name), comp.Name, objs); err != nil {
			return nil, err
		}
	}
	return shared, nil
}

// renderCluster adds a cluster's component directories and returns the extra
// kustomization entries (each component's base, and the cluster entry point
// listing its components) and the cluster's objects.
func renderCluster(t *tree.Tree, inv *inventory.Inventory, c *inventory.Cluster, shared map[string][]map[string]any) (map[string][]string, renderedCluster, error) {
	extra := map[string][]string{}
	rendered := renderedCluster{}
	root := layout.ClusterDir(c.Name)
	for _, comp := range Components {
		var objs []any
		if comp.Cluster != nil {
			var err error
			if objs, err = comp.Cluster(inv, c); err != nil {
				return nil, nil, err
			}
		}
		dir := path.Join(root, comp.Name)
		own, err := addAll(t, dir, comp.Name, objs)
		if err != nil {
			return nil, nil, err
		}
		base := shared[comp.Name]
		if len(base) > 0 {
			extra[dir] = []string{relBase(comp.Name)}
		}
		if len(own) > 0 || len(base) > 0 {
			extra[root] = append(extra[root], comp.Name)
			rendered[comp.Name] = append(append([]map[string]any{}, base...), own...)
		}
	}
	return extra, rendered, nil
}

// ClusterObjects returns the objects kustomize build overlays/aws/<cluster>
// emits from the rendered tree, without rendering the tree: what the KRM
// function emits. Tests prove the two agree.
func ClusterObjects(inv *inventory.Inventory, cluster string) ([]map[string]any, error) {
	c := findCluster(inv, cluster)
	if c == nil {
		return nil, fmt.Errorf("inventory %s has no cluster %q", inv.Metadata.Name, cluster)
	}
	var out []map[string]any
	for _, comp := range Components {
		base, err := callBase(comp, inv)
		if err != nil {
			return nil, err
		}
		own, err := callCluster(comp, inv, c)
		if err != nil {
			return nil, err
		}
		annotated, err := annotateAll(comp.Name, append(base, own...))
		if err != nil {
			return nil, err
		}
		out = append(out, annotated...)
	}
	return out, nil
}

func findCluster(inv *inventory.Inventory, name string) *inventory.Cluster {
	for i := range inv.Spec.Clusters {
		if inv.Spec.Clusters[i].Name == name {
			return &inv.Spec.Clusters[i]
		}
	}
	return nil
}

func callBase(comp Component, inv *inventory.Inventory) ([]any, error) {
	if comp.Base == nil {
		return nil, nil
	}
	return comp.Base(inv)
}

func callCluster(comp Component, inv *inventory.Inventory, c *inventory.Cluster) ([]any, error) {
	if comp.Cluster == nil {
		return nil, nil
	}
	return comp.Cluster(inv, c)
}

// relBase is the path from overlays/aws/<cluster>/<component> to the
// component's base directory.
func relBase(component string) string {
	return path.Join("..", "..", "..", "..", layout.BaseDir(component))
}

// addAll gives each object its component's sync wave and its kind's sync
// options (waves.go), adds it to dir, and returns the annotated objects.
func addAll(t *tree.Tree, dir, component string, objs []any) ([]map[string]any, error) {
	out, err := annotateAll(component, objs)
	if err != nil {
		return nil, err
	}
	for _, obj := range out {
		if _, err := t.Add(dir, obj); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func annotateAll(component string, objs []any) ([]map[string]any, error) {
	out := make([]map[string]any, 0, len(objs))
	for _, obj := range objs {
		annotated, err := annotate(component, obj)
		if err != nil {
			return nil, err
		}
		out = append(out, annotated)
	}
	return out, nil
}

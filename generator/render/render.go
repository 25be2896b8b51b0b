package render

import (
	"fmt"
	"path"
	"sync"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/tree"
)

// Render builds the whole tree of a validated inventory in memory: the
// fleet's shared files and every cluster's, as Stream emits them.
func Render(inv *inventory.Inventory) (*tree.Tree, error) {
	var mu sync.Mutex
	t := tree.New()
	err := Stream(inv, func(u Unit) error {
		mu.Lock()
		defer mu.Unlock()
		return t.Merge(u.Tree)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// renderedCluster holds a cluster's objects by component, as its overlay
// builds them: the component's base objects first.
type renderedCluster map[string][]map[string]any

// shared is what every cluster shares, by component: the annotated objects
// of base/<component>/.
type shared map[string][]annotated

// annotated is an annotated object and the comments its file carries.
type annotated struct {
	m        map[string]any
	comments []manifest.Comment
}

// maps lists the objects' maps.
func maps(objs []annotated) []map[string]any {
	out := make([]map[string]any, len(objs))
	for i, o := range objs {
		out[i] = o.m
	}
	return out
}

// renderBase annotates the objects every cluster shares, by component.
func renderBase(inv *inventory.Inventory) (shared, error) {
	out := shared{}
	for _, comp := range Components {
		if comp.Base == nil {
			continue
		}
		objs, err := comp.Base(inv)
		if err != nil {
			return nil, err
		}
		if out[comp.Name], err = annotateAll(comp.Name, objs); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// eachComponent is the one loop over a cluster's components, in sync
// order, that both the committed tree (clusterUnit) and the KRM function
// (ClusterObjects) are built from: fn gets each component's shared objects
// and the cluster's own, annotated.
func eachComponent(inv *inventory.Inventory, c *inventory.Cluster, base shared, fn func(component string, base, own []annotated) error) error {
	for _, comp := range Components {
		var objs []any
		if comp.Cluster != nil {
			var err error
			if objs, err = comp.Cluster(inv, c); err != nil {
				return err
			}
		}
		own, err := annotateAll(comp.Name, objs)
		if err != nil {
			return err
		}
		if err := fn(comp.Name, base[comp.Name], own); err != nil {
			return err
		}
	}
	return nil
}

// ClusterObjects returns the objects kustomize build overlays/aws/<cluster>
// emits from the rendered tree, without rendering the tree: what the KRM
// function emits.
func ClusterObjects(inv *inventory.Inventory, cluster string) ([]map[string]any, error) {
	c := findCluster(inv, cluster)
	if c == nil {
		return nil, fmt.Errorf("inventory %s has no cluster %q", inv.Metadata.Name, cluster)
	}
	base, err := renderBase(inv)
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	err = eachComponent(inv, c, base, func(_ string, base, own []annotated) error {
		out = append(append(out, maps(base)...), maps(own)...)
		return nil
	})
	return out, err
}

func findCluster(inv *inventory.Inventory, name string) *inventory.Cluster {
	for i := range inv.Spec.Clusters {
		if inv.Spec.Clusters[i].Name == name {
			return &inv.Spec.Clusters[i]
		}
	}
	return nil
}

// relBase is the path from overlays/aws/<cluster>/<component> to the
// component's base directory.
func relBase(component string) string {
	return path.Join("..", "..", "..", "..", layout.BaseDir(component))
}

func annotateAll(component string, objs []any) ([]annotated, error) {
	out := make([]annotated, 0, len(objs))
	for _, obj := range objs {
		annotated, err := annotateObject(component, obj)
		if err != nil {
			return nil, err
		}
		out = append(out, annotated)
	}
	return out, nil
}

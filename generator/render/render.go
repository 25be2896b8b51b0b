package render

import (
	"path"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/tree"
)

// Roots are the top-level directories lowlat owns in a repository.
var Roots = []string{"base", "overlays", "apps"}

// ClusterDir is the overlay directory of a cluster.
func ClusterDir(cluster string) string { return path.Join("overlays", "aws", cluster) }

// BaseDir is the directory of a component's shared objects.
func BaseDir(component string) string { return path.Join("base", component) }

// Render builds the whole tree for a validated inventory.
func Render(inv *inventory.Inventory) (*tree.Tree, error) {
	t := tree.New()
	extra := map[string][]string{}
	shared, err := renderBase(t, inv)
	if err != nil {
		return nil, err
	}
	for i := range inv.Spec.Clusters {
		c := &inv.Spec.Clusters[i]
		dirs, err := renderCluster(t, inv, c, shared)
		if err != nil {
			return nil, err
		}
		for dir, refs := range dirs {
			extra[dir] = refs
		}
	}
	if err := t.Kustomize(extra); err != nil {
		return nil, err
	}
	return t, nil
}

// renderBase adds the objects every cluster shares and reports which
// components have any.
func renderBase(t *tree.Tree, inv *inventory.Inventory) (map[string]bool, error) {
	shared := map[string]bool{}
	for _, comp := range Components {
		if comp.Base == nil {
			continue
		}
		objs, err := comp.Base(inv)
		if err != nil {
			return nil, err
		}
		if err := addAll(t, BaseDir(comp.Name), objs); err != nil {
			return nil, err
		}
		shared[comp.Name] = len(objs) > 0
	}
	return shared, nil
}

// renderCluster adds a cluster's component directories and returns the extra
// kustomization entries: each component's base, and the cluster entry point
// listing its components.
func renderCluster(t *tree.Tree, inv *inventory.Inventory, c *inventory.Cluster, shared map[string]bool) (map[string][]string, error) {
	extra := map[string][]string{}
	root := ClusterDir(c.Name)
	for _, comp := range Components {
		var objs []any
		if comp.Cluster != nil {
			var err error
			if objs, err = comp.Cluster(inv, c); err != nil {
				return nil, err
			}
		}
		dir := path.Join(root, comp.Name)
		if err := addAll(t, dir, objs); err != nil {
			return nil, err
		}
		if shared[comp.Name] {
			extra[dir] = []string{relBase(comp.Name)}
		}
		if len(objs) > 0 || shared[comp.Name] {
			extra[root] = append(extra[root], comp.Name)
		}
	}
	return extra, nil
}

// relBase is the path from overlays/aws/<cluster>/<component> to the
// component's base directory.
func relBase(component string) string { return path.Join("..", "..", "..", "..", BaseDir(component)) }

func addAll(t *tree.Tree, dir string, objs []any) error {
	for _, obj := range objs {
		if _, err := t.Add(dir, obj); err != nil {
			return err
		}
	}
	return nil
}

package render

import (
	"path"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/tree"
	"github.com/lowlat/lowlat/generator/tuning"
)

// Roots are the top-level directories lowlat owns in a repository.
var Roots = []string{"base", "overlays", "apps"}

// Component directories inside a cluster's overlay. Each is one kustomization
// so that an ArgoCD Application can sync it on its own.
const (
	ComponentTuning = "tuning"
)

// ClusterDir is the overlay directory of a cluster.
func ClusterDir(cluster string) string { return path.Join("overlays", "aws", cluster) }

// Render builds the whole tree for a validated inventory.
func Render(inv *inventory.Inventory) (*tree.Tree, error) {
	t := tree.New()
	extra := map[string][]string{}
	for i := range inv.Spec.Clusters {
		c := &inv.Spec.Clusters[i]
		components, err := renderCluster(t, c)
		if err != nil {
			return nil, err
		}
		extra[ClusterDir(c.Name)] = components
	}
	if err := t.Kustomize(extra); err != nil {
		return nil, err
	}
	return t, nil
}

// renderCluster adds a cluster's objects and returns its component directories.
func renderCluster(t *tree.Tree, c *inventory.Cluster) ([]string, error) {
	dir := path.Join(ClusterDir(c.Name), ComponentTuning)
	for i := range c.NodePools {
		np := &c.NodePools[i]
		for _, obj := range []any{tuning.MachineConfigPoolFor(np), tuning.PerformanceProfileFor(np)} {
			if _, err := t.Add(dir, obj); err != nil {
				return nil, err
			}
		}
	}
	return []string{ComponentTuning}, nil
}

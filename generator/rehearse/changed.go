package rehearse

import (
	"strings"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/render"
	"github.com/lowlat/lowlat/generator/tree"
)

// ChangedClusters lists the clusters of inv whose rollout differs between
// two trees: a change under base/ or apps/health/ concerns every cluster,
// one under overlays/aws/<cluster>/, apps/<cluster>/ or the cluster's root
// Application only that cluster. krm/ is not synced and does not count.
func ChangedClusters(inv *inventory.Inventory, from, to *tree.Tree) []string {
	changed := map[string]bool{}
	all := false
	for _, c := range tree.Compare(from, to) {
		p := c.Path
		switch {
		case strings.HasPrefix(p, "base/"), strings.HasPrefix(p, layout.AppsHealthDir+"/"):
			all = true
		default:
			for _, cl := range inv.Spec.Clusters {
				if strings.HasPrefix(p, layout.ClusterDir(cl.Name)+"/") || strings.HasPrefix(p, layout.AppsDir(cl.Name)+"/") ||
					p == layout.AppsRootsDir+"/application-"+render.RootName(cl.Name)+".yaml" {
					changed[cl.Name] = true
				}
			}
		}
	}
	var out []string
	for _, cl := range inv.Spec.Clusters {
		if all || changed[cl.Name] {
			out = append(out, cl.Name)
		}
	}
	return out
}

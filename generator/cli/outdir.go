package cli

import (
	"os"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/render"
	"github.com/lowlat/lowlat/generator/rendercache"
	"github.com/lowlat/lowlat/generator/tree"
)

// writeInventory renders inv into outDir cluster by cluster, writing only
// the files whose contents change and skipping the clusters the render
// cache knows to be up to date. Unless allowOutside is set, outDir must
// lie, symlinks resolved, inside the git repository that holds the current
// directory (or inside the current directory when that is not in a
// repository): a mistyped -o or a symlinked parent cannot scatter base/,
// overlays/ and apps/ somewhere else.
func writeInventory(inv *inventory.Inventory, outDir string, allowOutside bool) (tree.Stats, error) {
	var opts tree.WriteOptions
	if !allowOutside {
		boundary, err := repositoryOrHere()
		if err != nil {
			return tree.Stats{}, err
		}
		opts.Boundary = boundary
	}
	w, err := tree.NewWriter(outDir, opts)
	if err != nil {
		return tree.Stats{}, err
	}
	defer w.Close()
	if err := stream(inv, outDir, w); err != nil {
		return tree.Stats{}, err
	}
	return w.Stats(), nil
}

// stream renders inv into w, unit by unit. A checker renders every
// cluster; a writer skips those the render cache knows to be up to date.
func stream(inv *inventory.Inventory, outDir string, w *tree.Writer) error {
	cache, err := rendercache.Open(outDir, inv)
	if err != nil {
		return err
	}
	var o render.StreamOptions
	if !w.Checking() {
		o.Known = func(c *inventory.Cluster) (render.Summary, bool) {
			s, own, ok := cache.Known(c)
			if ok {
				w.UnitUnchanged(render.ClusterDirs(c.Name), own)
			}
			return s, ok
		}
	}
	err = render.Stream(inv, o, func(u render.Unit) error {
		if err := w.Unit(u.Dirs, u.Tree); err != nil {
			return err
		}
		if u.Cluster == "" || w.Checking() {
			return nil
		}
		c := inventoryCluster(inv, u.Cluster)
		var own []string
		if u.Summary.RootFile != "" {
			own = []string{u.Summary.RootFile}
		}
		return cache.Rendered(c, own, u.Summary)
	})
	if err != nil {
		return err
	}
	if err := w.Finish(layout.Roots); err != nil {
		return err
	}
	if w.Checking() {
		return nil
	}
	return cache.Save()
}

func inventoryCluster(inv *inventory.Inventory, name string) *inventory.Cluster {
	for i := range inv.Spec.Clusters {
		if inv.Spec.Clusters[i].Name == name {
			return &inv.Spec.Clusters[i]
		}
	}
	return nil
}

func repositoryOrHere() (string, error) {
	here, err := os.Getwd()
	if err != nil {
		return "", err
	}
	root, ok, err := tree.Repository(here)
	if err != nil || !ok {
		return here, err
	}
	return root, nil
}

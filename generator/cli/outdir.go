package cli

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/parallel"
	"github.com/lowlat/lowlat/generator/render"
	"github.com/lowlat/lowlat/generator/rendercache"
	"github.com/lowlat/lowlat/generator/tree"
)

// writeFleet renders the inventory files into outDir file by file and
// cluster by cluster, writing only the files whose contents change and
// skipping the files the render cache knows to be up to date. Unless
// allowOutside is set, outDir must lie, symlinks resolved, inside the git
// repository that holds the current directory (or inside the current
// directory when that is not in a repository): a mistyped -o or a
// symlinked parent cannot scatter base/, overlays/ and apps/ somewhere
// else. It returns the writer's counts and the number of clusters.
func writeFleet(paths []string, outDir string, allowOutside bool, warnings io.Writer) (tree.Stats, int, error) {
	var opts tree.WriteOptions
	if !allowOutside {
		boundary, err := repositoryOrHere()
		if err != nil {
			return tree.Stats{}, 0, err
		}
		opts.Boundary = boundary
	}
	if err := checkOutDir(outDir); err != nil {
		return tree.Stats{}, 0, err
	}
	cache, err := rendercache.Open(outDir)
	if err != nil {
		return tree.Stats{}, 0, err
	}
	defer cache.Close()
	fleet, err := inventory.OpenFleet(paths, cache.Validated)
	if err != nil {
		return tree.Stats{}, 0, err
	}
	w, err := tree.NewWriter(outDir, opts)
	if err != nil {
		return tree.Stats{}, 0, err
	}
	defer w.Close()
	if err := stream(fleet, cache, w, paths, warnings); err != nil {
		return tree.Stats{}, 0, err
	}
	return w.Stats(), len(fleet.ClusterNames()), nil
}

// checkOutDir is the writer's own check, made before the inventory is
// read so that a bad output directory is reported first.
func checkOutDir(outDir string) error {
	if _, err := os.Lstat(outDir); err != nil {
		return err
	}
	return nil
}

// stream renders a fleet into w (a writer, or a checker when cache is
// nil) one inventory file at a time, each file's clusters in parallel, and
// the fleet's shared files last. Only the files being rendered are in
// memory.
func stream(fleet *inventory.Fleet, cache *rendercache.Cache, w *tree.Writer, paths []string, warnings io.Writer) error {
	r, err := render.NewRenderer(fleet.Shared())
	if err != nil {
		return err
	}
	var mu sync.Mutex
	kinds := map[string]bool{} // every kind a cluster renders
	problems := fleet.Warnings()
	need := func(f inventory.FleetFile) bool {
		if cache == nil {
			return true
		}
		clusters, warned, ok := cache.Known(f)
		if !ok {
			return true
		}
		mu.Lock()
		defer mu.Unlock()
		for _, c := range clusters {
			w.UnitUnchanged()
			addKinds(kinds, c.Summary.Kinds)
		}
		problems = append(problems, warned...)
		return false
	}
	err = fleet.Each(need, func(f inventory.FleetFile, part *inventory.Inventory) error {
		units := make([]render.Unit, len(part.Spec.Clusters))
		err := parallel.Each(len(part.Spec.Clusters), func(i int) error {
			u, err := r.Cluster(part, &part.Spec.Clusters[i])
			if err != nil {
				return err
			}
			if err := w.Unit(u.Dirs, u.Tree); err != nil {
				return err
			}
			u.Tree = nil // written; the cache needs only the rest
			units[i] = u
			return nil
		})
		if err != nil {
			return err
		}
		mu.Lock()
		for i := range units {
			addKinds(kinds, units[i].Summary.Kinds)
		}
		if cache != nil && cache.Validated(f) {
			// Not validated (nor warned about) by OpenFleet this time.
			problems = append(problems, inventory.Warnings(part)...)
		}
		mu.Unlock()
		if cache == nil {
			return nil
		}
		return cache.Rendered(f, units, inventory.Warnings(part))
	})
	if err != nil {
		return err
	}
	names := fleet.ClusterNames()
	u, err := r.Fleet(names, slices.Sorted(maps.Keys(kinds)))
	if err != nil {
		return err
	}
	if err := w.Unit(u.Dirs, u.Tree); err != nil {
		return err
	}
	if err := w.Finish(layout.Roots, r.Owned(names)); err != nil {
		return err
	}
	printProblems(warnings, strings.Join(paths, ","), problems)
	if cache == nil {
		return nil
	}
	return cache.Save()
}

func addKinds(set map[string]bool, kinds []string) {
	for _, k := range kinds {
		set[k] = true
	}
}

func printProblems(w io.Writer, file string, problems []inventory.Problem) {
	for _, p := range problems {
		fmt.Fprintf(w, "warning: %s\n", p.String(file))
	}
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

package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
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
// skipping the files the render cache knows to be up to date. It creates
// outDir when it is missing (and removes it again when the inventory is
// refused, so that bad input writes nothing). Inside the git repository
// that holds the current directory (or inside the current directory when
// that is not in a repository) any directory will do; outside it, unless
// allowOutside is set, only a new or empty directory or an earlier lowlat
// tree: a mistyped -o must not scatter base/, overlays/, apps/ and krm/
// among someone's files. Hand-written files are never replaced or deleted
// anywhere (package tree). It returns the writer's counts and the number
// of clusters.
func writeFleet(paths []string, outDir string, allowOutside bool, warnings io.Writer) (stats tree.Stats, clusters int, err error) {
	created, err := makeOutDir(outDir)
	if err != nil {
		return tree.Stats{}, 0, err
	}
	if created {
		defer func() {
			if err != nil {
				os.Remove(outDir) // only if still empty
			}
		}()
	}
	var opts tree.WriteOptions
	if !allowOutside {
		if opts.Boundary, err = outputBoundary(outDir, created); err != nil {
			return tree.Stats{}, 0, err
		}
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
	warnMissingFunction(outDir, fleet.Shared().Spec.GitOps.Path, warnings)
	return w.Stats(), len(fleet.ClusterNames()), nil
}

// warnMissingFunction says how to make the krm/ entry points work when the
// function binary they exec (render.BinaryPath at the root of the
// repository the tree sits in at gitops.path) is not there, as in a tree
// rendered outside this repository.
func warnMissingFunction(outDir, treePath string, warnings io.Writer) {
	root := outDir
	if treePath != "" && treePath != "." {
		root = filepath.Join(outDir, strings.Repeat("../", strings.Count(treePath, "/")+1))
	}
	bin := filepath.Join(root, filepath.FromSlash(render.BinaryPath))
	if _, err := os.Stat(bin); err == nil {
		return
	}
	fmt.Fprintf(warnings, "warning: the krm/ entry points run %s, which is not there; build it with\n"+
		"  go build -o %s github.com/lowlat/lowlat/generator/cmd/lowlat-fn\n"+
		"(make build does, in lowlat's repository), or preview a cluster without kustomize: lowlat fn --cluster NAME INVENTORY\n",
		bin, bin)
}

// makeOutDir creates outDir and its parents when it does not exist, and
// says whether it did.
func makeOutDir(outDir string) (bool, error) {
	_, err := os.Lstat(outDir)
	switch {
	case err == nil:
		return false, nil
	case !errors.Is(err, fs.ErrNotExist):
		return false, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return false, fmt.Errorf("create the output directory: %w", err)
	}
	return true, nil
}

// outputBoundary is the directory the writer must stay in: the repository
// (or the current directory) when outDir lies in it; outDir itself when it
// lies elsewhere but is new, empty or an earlier lowlat tree.
func outputBoundary(outDir string, created bool) (string, error) {
	boundary, err := repositoryOrHere()
	if err != nil {
		return "", err
	}
	inside, err := tree.Within(outDir, boundary)
	switch {
	case err != nil:
		return "", err
	case inside:
		return boundary, nil
	case created:
		return outDir, nil
	}
	other, err := foreignEntry(outDir)
	if err != nil {
		return "", err
	}
	if other != "" {
		return "", fmt.Errorf("%w: output %s is outside the repository %s and already holds %s, which lowlat did not write: "+
			"lowlat would add base/, overlays/, apps/ and krm/ beside it. Write into a new or empty directory or an earlier lowlat tree, "+
			"or pass --allow-outside-repo to write there all the same (hand-written files are never replaced)", tree.ErrUnsafe, outDir, boundary, other)
	}
	return outDir, nil
}

// foreignEntry names the first entry of dir that is not a directory a
// lowlat render writes, or one of those without a single generated file;
// "" when there is none (an empty directory or an earlier lowlat tree).
// Hidden entries (.git, editors' and the OS's files) do not count.
func foreignEntry(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		switch {
		case strings.HasPrefix(e.Name(), "."):
			continue
		case !e.IsDir() || !slices.Contains(layout.Roots, e.Name()):
			return e.Name(), nil
		}
		generated, err := holdsGenerated(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", err
		}
		if !generated {
			return e.Name() + "/", nil
		}
	}
	return "", nil
}

// holdsGenerated reports whether a YAML file under dir carries lowlat's
// generated header.
func holdsGenerated(dir string) (bool, error) {
	found := false
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		if found, err = tree.IsGenerated(p); found {
			return fs.SkipAll
		}
		return err
	})
	return found, err
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

// printProblems prints the warnings that no cluster acknowledged, each
// with its code, and counts the rest.
func printProblems(w io.Writer, file string, problems []inventory.Problem) {
	acknowledged := 0
	for _, p := range problems {
		if p.Acknowledged {
			acknowledged++
			continue
		}
		fmt.Fprintf(w, "warning [%s]: %s\n", p.Code, p.String(file))
	}
	if shown := len(problems) - acknowledged; shown > 0 {
		fmt.Fprintf(w, "(list a warning's code in its cluster's acknowledgedWarnings to count it instead)\n")
	}
	if acknowledged > 0 {
		fmt.Fprintf(w, "%s not shown\n", counted(acknowledged, "acknowledged warning", "acknowledged warnings"))
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

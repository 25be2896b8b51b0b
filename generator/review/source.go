package review

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/render"
	"github.com/lowlat/lowlat/generator/tree"
)

// OpenOptions says how an argument becomes a Side.
type OpenOptions struct {
	// RepoDir is where git runs; empty is the current directory.
	RepoDir string
	// InventoryPaths are the inventory's files or directories (a fleet, see
	// inventory.LoadFleet). At a git revision they are read as committed
	// (relative to RepoDir, like any path git is given); beside a directory
	// side they are looked for relative to that directory.
	InventoryPaths []string
	// InventoryFile is an inventory on disk, a file or a directory, that
	// gives a directory side its node counts; it takes precedence over
	// InventoryPaths.
	InventoryFile string
	// Committed reads the tree committed at a revision instead of rendering
	// the revision's inventory.
	Committed bool
}

// ErrNotASide is returned for an argument that is neither a directory nor a
// git revision.
var ErrNotASide = errors.New("neither a directory nor a git revision")

// ErrInventoryForRevision is returned when an inventory file is given for a
// side that is a git revision, whose inventory is read at that revision.
var ErrInventoryForRevision = errors.New("an inventory file applies to a directory side only; a git revision's inventory is read at that revision")

// Open turns arg into a Side: a directory holding a rendered tree (checked
// first), or a git revision.
func Open(ctx context.Context, arg string, o OpenOptions) (*Side, error) {
	if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
		return openDir(arg, o)
	}
	if arg == "" || strings.HasPrefix(arg, "-") {
		return nil, fmt.Errorf("%q is %w", arg, ErrNotASide)
	}
	commit, err := runGit(ctx, o.RepoDir, "rev-parse", "--verify", "--quiet", arg+"^{commit}")
	if err != nil {
		return nil, fmt.Errorf("%q is %w", arg, ErrNotASide)
	}
	if o.InventoryFile != "" {
		return nil, fmt.Errorf("%s: %w", arg, ErrInventoryForRevision)
	}
	return openRevision(ctx, arg, commit, o)
}

// openDir reads a rendered tree. Its node counts come from InventoryFile, or
// from the inventory at InventoryPath inside the directory when there is one.
func openDir(dir string, o OpenOptions) (*Side, error) {
	t, err := tree.Read(dir, layout.Roots)
	if err != nil {
		return nil, fmt.Errorf("read rendered tree %s: %w", dir, err)
	}
	s := &Side{Label: dir, Tree: t}
	if t.Len() == 0 {
		s.Notes = append(s.Notes, "no generated files under base/, overlays/ or apps/")
	}
	if o.InventoryFile != "" {
		if s.Inventory, err = inventory.Load(o.InventoryFile); err != nil {
			return nil, err
		}
		s.InventoryName = o.InventoryFile
		return s, nil
	}
	var beside []string
	for _, p := range o.InventoryPaths {
		b := filepath.Join(dir, p)
		if _, err := os.Stat(b); err != nil {
			return s, nil
		}
		beside = append(beside, b)
	}
	if len(beside) == 0 {
		return s, nil
	}
	if s.Inventory, err = inventory.LoadFleet(beside); err != nil {
		s.Inventory, s.InventoryProblem = nil, err.Error()
		return s, nil
	}
	s.InventoryName = strings.Join(beside, ", ")
	return s, nil
}

// openRevision renders the revision's inventory, or reads its committed
// tree, through git: nothing is extracted.
func openRevision(ctx context.Context, arg, commit string, o OpenOptions) (*Side, error) {
	rels, err := repoPaths(ctx, o.RepoDir, o.InventoryPaths)
	if err != nil {
		return nil, err
	}
	rev, err := openRevisionFS(ctx, o.RepoDir, commit)
	if err != nil {
		return nil, err
	}
	s := &Side{Label: arg, Revision: commit}
	inv, invErr := loadAt(rev, rels, arg)
	name := arg + ":" + strings.Join(rels, ", "+arg+":")
	if o.Committed {
		if s.Tree, err = rev.tree(layout.Roots); err != nil {
			return nil, fmt.Errorf("read tree committed at %s: %w", arg, err)
		}
		if invErr != nil {
			s.InventoryProblem = invErr.Error()
			return s, nil
		}
	} else {
		if invErr != nil {
			return nil, invErr
		}
		if s.Tree, err = render.Render(inv); err != nil {
			return nil, fmt.Errorf("render %s: %w", name, err)
		}
	}
	s.Inventory, s.InventoryName = inv, name
	return s, nil
}

func repoPaths(ctx context.Context, repo string, paths []string) ([]string, error) {
	if len(paths) == 0 {
		return nil, errors.New("no inventory path to read at a git revision")
	}
	out := make([]string, len(paths))
	for i, p := range paths {
		var err error
		if out[i], err = repoPath(ctx, repo, p); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// repoPath turns a path given relative to RepoDir into one relative to the
// repository root, where `git archive` puts it.
func repoPath(ctx context.Context, repo, p string) (string, error) {
	if p == "" {
		return "", errors.New("no inventory path to read at a git revision")
	}
	if filepath.IsAbs(p) {
		top, err := runGit(ctx, repo, "rev-parse", "--show-toplevel")
		if err != nil {
			return "", err
		}
		if p, err = filepath.Rel(top, p); err != nil {
			return "", err
		}
	} else {
		prefix, err := runGit(ctx, repo, "rev-parse", "--show-prefix")
		if err != nil {
			return "", err
		}
		p = filepath.Join(prefix, p)
	}
	if !filepath.IsLocal(p) {
		return "", fmt.Errorf("inventory %s is outside the git repository", p)
	}
	return filepath.ToSlash(p), nil
}

// loadAt loads the inventory at the revision's paths rels, naming each file
// arg:path in its problems, with relative topology paths read at the
// revision too.
func loadAt(rev fs.FS, rels []string, arg string) (*inventory.Inventory, error) {
	for _, rel := range rels {
		if _, err := fs.Stat(rev, rel); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s:%s: no such file at that revision", arg, rel)
		}
	}
	return inventory.LoadFleetFS(rev, rels, arg+":")
}

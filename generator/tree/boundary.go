package tree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Repository returns the git work tree that holds dir: the nearest ancestor
// (dir included, symlinks resolved) with a .git entry, a directory or, for
// worktrees and submodules, a file. ok is false outside any repository.
func Repository(dir string) (root string, ok bool, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false, err
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return "", false, err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, true, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", false, err
		}
		if filepath.Dir(d) == d {
			return "", false, nil
		}
	}
}

// checkInside refuses dir unless it resolves, symlinks followed, to boundary
// or a directory below it.
func checkInside(dir, boundary string) error {
	inside, realDir, realBoundary, err := within(dir, boundary)
	if err != nil {
		return err
	}
	if !inside {
		return fmt.Errorf("%w: output %s (%s) is outside the repository %s; pass --allow-outside-repo to write there", ErrUnsafe, dir, realDir, realBoundary)
	}
	return nil
}

// Within reports whether dir resolves, symlinks followed, to boundary or a
// directory below it.
func Within(dir, boundary string) (bool, error) {
	inside, _, _, err := within(dir, boundary)
	return inside, err
}

func within(dir, boundary string) (inside bool, realDir, realBoundary string, err error) {
	if realDir, err = resolve(dir); err != nil {
		return false, "", "", err
	}
	if realBoundary, err = resolve(boundary); err != nil {
		return false, "", "", err
	}
	rel, err := filepath.Rel(realBoundary, realDir)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)), realDir, realBoundary, nil
}

func resolve(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// isSafeRelative reports whether a slash path stays below the directory it is
// relative to: clean, not absolute, no "..", no backslashes.
func isSafeRelative(p string) bool {
	return p != "" && path.Clean(p) == p && !path.IsAbs(p) && p != ".." &&
		!strings.HasPrefix(p, "../") && !strings.Contains(p, `\`)
}

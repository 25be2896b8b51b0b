package tree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// stagingPrefix names the directory a write builds the new tree in, inside the
// output directory so the final renames never cross a filesystem.
const stagingPrefix = ".lowlat-staging-"

// ErrUnsafe is returned when writing would touch something lowlat does not own.
var ErrUnsafe = errors.New("refusing to write")

// WriteOptions tighten where a write may go.
type WriteOptions struct {
	// Boundary, when set, is the directory the output must lie in once
	// symlinks are resolved (the repository), so that neither a mistyped -o
	// nor a symlinked parent sends the tree elsewhere.
	Boundary string
}

// Write replaces the generated files under each root directory of outDir
// (e.g. base, overlays, apps) with the tree's files. Hand-written files under
// a root are kept; generated files the tree no longer has are removed. The
// new version of each root is built beside it and swapped in with one rename,
// so an interrupted write leaves the previous tree in place (or, if it was
// interrupted between the swaps of two roots, lets Recover put it back).
func (t *Tree) Write(outDir string, roots []string) error {
	return t.WriteWith(outDir, roots, WriteOptions{})
}

// WriteWith is Write with options.
func (t *Tree) WriteWith(outDir string, roots []string, o WriteOptions) error {
	if err := checkOutDir(outDir, o.Boundary); err != nil {
		return err
	}
	if err := t.checkPaths(roots); err != nil {
		return err
	}
	unlock, err := lockDir(outDir)
	if err != nil {
		return err
	}
	defer unlock()
	if err := recoverStaging(outDir); err != nil {
		return err
	}
	staging, err := os.MkdirTemp(outDir, stagingPrefix)
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging)
	for _, root := range roots {
		if err := t.stage(outDir, staging, root); err != nil {
			return err
		}
	}
	step("staged")
	return swapAll(outDir, staging, roots)
}

// checkOutDir refuses an output that is not a real directory (a symlink is
// refused, not followed) or that resolves outside the boundary.
func checkOutDir(outDir, boundary string) error {
	info, err := os.Lstat(outDir)
	if err != nil {
		return err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%w: output %s is a symlink; lowlat writes only into real directories", ErrUnsafe, outDir)
	}
	if !info.IsDir() {
		return fmt.Errorf("%w: output %s is not a directory", ErrUnsafe, outDir)
	}
	if boundary == "" {
		return nil
	}
	return checkInside(outDir, boundary)
}

// checkPaths refuses files that would land outside their root: absolute
// paths, "..", or a root name that is not one plain directory.
func (t *Tree) checkPaths(roots []string) error {
	for _, root := range roots {
		if root == "" || root == "." || root == ".." || strings.ContainsAny(root, `/\`) {
			return fmt.Errorf("%w: root %q is not a plain directory name", ErrUnsafe, root)
		}
	}
	for p := range t.files {
		if !isSafeRelative(p) {
			return fmt.Errorf("%w: %q is not a plain relative path", ErrUnsafe, p)
		}
	}
	return nil
}

// stage writes root's new files under staging/new and carries over the
// hand-written files of the current root.
func (t *Tree) stage(outDir, staging, root string) error {
	newRoot := filepath.Join(staging, "new", root)
	if err := os.MkdirAll(newRoot, 0o755); err != nil {
		return err
	}
	prefix := root + "/"
	for _, p := range t.Paths() {
		if strings.HasPrefix(p, prefix) {
			if err := writeFile(filepath.Join(staging, "new", filepath.FromSlash(p)), t.files[p]); err != nil {
				return err
			}
			step("wrote " + p)
		}
	}
	return t.keepHandWritten(outDir, newRoot, root)
}

func (t *Tree) keepHandWritten(outDir, newRoot, root string) error {
	oldRoot := filepath.Join(outDir, root)
	info, err := os.Lstat(oldRoot)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%w: %s is not a directory (a symlink or file); lowlat only writes real directories", ErrUnsafe, oldRoot)
	}
	return filepath.WalkDir(oldRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return t.carryOver(outDir, newRoot, oldRoot, p, d)
	})
}

func (t *Tree) carryOver(outDir, newRoot, oldRoot, p string, d fs.DirEntry) error {
	rel, _ := filepath.Rel(outDir, p)
	if !d.Type().IsRegular() {
		return fmt.Errorf("%w: %s is not a regular file; lowlat does not follow or replace links in the trees it writes", ErrUnsafe, rel)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	if HasHeader(data) {
		return nil // generated: replaced or dropped by the new tree
	}
	if _, clash := t.files[filepath.ToSlash(rel)]; clash {
		return fmt.Errorf("%w: %s is hand-written (no generated header) and would be overwritten; move or delete it", ErrUnsafe, rel)
	}
	sub, _ := filepath.Rel(oldRoot, p)
	return writeFile(filepath.Join(newRoot, sub), data)
}

func writeFile(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// step is called at each point where a write may be interrupted; tests set
// it to stop the process there.
var step = func(string) {}

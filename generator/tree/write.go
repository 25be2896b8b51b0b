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

// Write replaces the generated files under each root directory of outDir
// (e.g. base, overlays, apps) with the tree's files. Hand-written files under
// a root are kept; generated files the tree no longer has are removed. The
// new version of each root is built beside it and swapped in with one rename,
// so an interrupted write leaves the previous tree in place.
func (t *Tree) Write(outDir string, roots []string) error {
	if err := checkOutDir(outDir); err != nil {
		return err
	}
	if err := removeStaleStaging(outDir); err != nil {
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
	for _, root := range roots {
		if err := swap(filepath.Join(staging, "new", root), filepath.Join(outDir, root), filepath.Join(staging, "old", root)); err != nil {
			return err
		}
	}
	return nil
}

func checkOutDir(outDir string) error {
	info, err := os.Lstat(outDir)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%w: output %s is not a directory", ErrUnsafe, outDir)
	}
	return nil
}

func removeStaleStaging(outDir string) error {
	stale, err := filepath.Glob(filepath.Join(outDir, stagingPrefix+"*"))
	if err != nil {
		return err
	}
	for _, dir := range stale {
		if err := os.RemoveAll(dir); err != nil {
			return err
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

// swap puts staged in place of current, moving the previous current out of
// the way (to old, or wherever exchange leaves it inside the staging area).
// An empty staged root removes current rather than leaving an empty directory.
func swap(staged, current, old string) error {
	if err := os.MkdirAll(filepath.Dir(old), 0o755); err != nil {
		return err
	}
	_, err := os.Lstat(current)
	exists := err == nil
	if entries, _ := os.ReadDir(staged); len(entries) == 0 {
		if exists {
			return os.Rename(current, old)
		}
		return nil
	}
	if !exists {
		return os.Rename(staged, current)
	}
	return exchange(staged, current, old)
}

package tree

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// tempPrefix names the file a write builds before renaming it into place.
// A write killed half-way leaves at most such files, which the next write
// removes.
const tempPrefix = ".lowlat-tmp-"

// stagingPrefix names the directories earlier versions of lowlat staged
// whole roots in; a write removes any it finds.
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
// (e.g. base, overlays, apps) with the tree's files, as one Writer unit
// that owns the roots.
func (t *Tree) Write(outDir string, roots []string) error {
	return t.WriteWith(outDir, roots, WriteOptions{})
}

// WriteWith is Write with options.
func (t *Tree) WriteWith(outDir string, roots []string, o WriteOptions) error {
	if err := checkRoots(roots); err != nil {
		return err
	}
	w, err := NewWriter(outDir, o)
	if err != nil {
		return err
	}
	defer w.Close()
	return w.Unit(roots, t)
}

// Writer brings the generated files of a directory in line with a render,
// one unit at a time: a file is written only when its contents change, by
// writing a temporary file beside it and renaming it into place, so a
// write killed at any moment leaves every file whole — the previous
// version or the new one — and the next write finishes the job. Generated
// files that the render no longer has are removed; files without the
// generated header are never touched, and a symlink anywhere in the tree
// is refused rather than followed. A lock keeps two writers apart.
//
// A Writer in check mode (NewChecker) touches nothing and lists the files
// that differ instead.
//
// Unit may be called from several goroutines at once.
type Writer struct {
	dir    string
	check  bool
	unlock func()

	mu   sync.Mutex
	dirs sync.Map // directories known to be real (not symlinks)

	changes                              []Change
	written, unchanged, removed, skipped atomic.Int64
}

// Stats counts what a Writer did: files written, left as they were and
// removed, and units known to be up to date without being rendered.
type Stats struct {
	Written, Unchanged, Removed, UnitsSkipped int
}

// NewWriter opens outDir for writing.
func NewWriter(outDir string, o WriteOptions) (*Writer, error) {
	if err := checkOutDir(outDir, o.Boundary); err != nil {
		return nil, err
	}
	unlock, err := lockDir(outDir)
	if err != nil {
		return nil, err
	}
	stale, err := filepath.Glob(filepath.Join(outDir, stagingPrefix+"*"))
	if err == nil {
		for _, s := range stale {
			err = errors.Join(err, os.RemoveAll(s))
		}
	}
	if err != nil {
		unlock()
		return nil, err
	}
	return newWriter(outDir, false, unlock), nil
}

// NewChecker compares renders with outDir without writing: Changes lists
// every file that a Writer would write or remove.
func NewChecker(outDir string) *Writer {
	return newWriter(outDir, true, func() {})
}

func newWriter(dir string, check bool, unlock func()) *Writer {
	return &Writer{dir: dir, check: check, unlock: unlock}
}

// Close releases the lock.
func (w *Writer) Close() { w.unlock() }

// Stats says how many files were written, left as they were and removed.
func (w *Writer) Stats() Stats {
	return Stats{Written: int(w.written.Load()), Unchanged: int(w.unchanged.Load()), Removed: int(w.removed.Load()), UnitsSkipped: int(w.skipped.Load())}
}

// Changes lists, sorted by path, what a checker found different.
func (w *Writer) Changes() []Change {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := append([]Change(nil), w.changes...)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Unit writes the files of t, which owns everything below dirs and its
// own files elsewhere: generated files below dirs that t does not have are
// removed.
func (w *Writer) Unit(dirs []string, t *Tree) error {
	for _, d := range dirs {
		if !isSafeRelative(d) {
			return fmt.Errorf("%w: %q is not a plain relative path", ErrUnsafe, d)
		}
	}
	paths := t.Paths()
	for _, p := range paths {
		if !isSafeRelative(p) {
			return fmt.Errorf("%w: %q is not a plain relative path", ErrUnsafe, p)
		}
	}
	// Every file is compared before any is written, so that a unit that
	// would overwrite a hand-written file writes nothing.
	var pending []string
	var refused []error
	for _, p := range paths {
		write, err := w.compare(p, t.files[p])
		switch {
		case errors.Is(err, ErrUnsafe):
			refused = append(refused, err)
		case err != nil:
			return err
		case write:
			pending = append(pending, p)
		}
	}
	if len(refused) > 0 {
		return errors.Join(refused...)
	}
	made := madeDirs{own: dirs, made: map[string]bool{}}
	for _, p := range pending {
		if err := w.write(p, t.files[p], made); err != nil {
			return err
		}
	}
	for _, d := range dirs {
		if err := w.prune(d, func(p string) bool { _, ok := t.files[p]; return ok }, nil); err != nil {
			return err
		}
	}
	return nil
}

// UnitUnchanged counts a unit whose files are known to be up to date and
// were not rendered.
func (w *Writer) UnitUnchanged() { w.skipped.Add(1) }

// Owned says which paths under a writer's roots the render keeps besides
// what its units have just pruned: of a directory (dir true), that a unit
// owns everything below it; of a file, that a unit wrote it outside its
// own directories. A render knows this from its inputs (a fleet's cluster
// names), so the writer needs no record of the units it wrote.
type Owned func(p string, dir bool) bool

// Finish removes the generated files under roots that owned rejects (those
// of clusters that left the inventory) and the directories that are left
// empty. It does not descend into the directories owned accepts.
func (w *Writer) Finish(roots []string, owned Owned) error {
	keep := func(p string) bool { return owned(p, false) }
	skip := func(dir string) bool { return owned(dir, true) }
	for _, root := range roots {
		if skip(root) {
			continue
		}
		if err := w.prune(root, keep, skip); err != nil {
			return err
		}
	}
	return nil
}

// compare reports whether p must be written to hold data; in check mode
// it records the difference instead.
func (w *Writer) compare(p string, data []byte) (bool, error) {
	full := filepath.Join(w.dir, filepath.FromSlash(p))
	old, err := w.read(p, full)
	switch {
	case err == nil && bytes.Equal(old, data):
		w.unchanged.Add(1)
		return false, nil
	case err == nil && !HasHeader(old):
		return false, fmt.Errorf("%w: %s is hand-written (no generated header) and would be overwritten; move or delete it", ErrUnsafe, p)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return false, err
	}
	if w.check {
		c := Change{Path: p, Kind: "added"}
		if err == nil {
			c = Change{Path: p, Kind: "changed", Diff: lineDiff(p, old, data)}
		}
		w.record(c)
		return false, nil
	}
	return true, nil
}

// write puts data at p; made holds the directories this unit made sure of.
func (w *Writer) write(p string, data []byte, made madeDirs) error {
	if err := w.mkdirs(path.Dir(p), made); err != nil {
		return err
	}
	if err := atomicWrite(filepath.Join(w.dir, filepath.FromSlash(p)), data, p); err != nil {
		return err
	}
	w.written.Add(1)
	return nil
}

// read returns a file's contents, refusing anything but a regular file.
func (w *Writer) read(p, full string) ([]byte, error) {
	info, err := os.Lstat(full)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file; lowlat does not follow or replace links in the trees it writes", ErrUnsafe, p)
	}
	return os.ReadFile(full)
}

func (w *Writer) record(c Change) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.changes = append(w.changes, c)
}

// madeDirs are the directories a unit owns and those of them it made sure
// of. The writer remembers the directories units share (overlays/aws,
// apps/roots) for all units, and each unit its own, so that what it
// remembers does not grow with the fleet.
type madeDirs struct {
	own  []string
	made map[string]bool
}

// mkdirs creates dir and its parents, refusing a symlink or a file on the
// way.
func (w *Writer) mkdirs(dir string, made madeDirs) error {
	if dir == "." {
		return nil
	}
	shared := !under(dir, made.own)
	if _, ok := w.dirs.Load(dir); ok || made.made[dir] {
		return nil
	}
	if err := w.mkdirs(path.Dir(dir), made); err != nil {
		return err
	}
	full := filepath.Join(w.dir, filepath.FromSlash(dir))
	info, err := os.Lstat(full)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.Mkdir(full, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	case err != nil:
		return err
	case !info.IsDir():
		return fmt.Errorf("%w: %s is not a directory (a symlink or file); lowlat only writes real directories", ErrUnsafe, dir)
	}
	if shared {
		w.dirs.Store(dir, true)
	} else {
		made.made[dir] = true
	}
	return nil
}

// under reports whether dir is one of dirs or below one.
func under(dir string, dirs []string) bool {
	for _, d := range dirs {
		if dir == d || strings.HasPrefix(dir, d+"/") {
			return true
		}
	}
	return false
}

// atomicWrite replaces p with data through a temporary file in the same
// directory; rel names it for step.
func atomicWrite(p string, data []byte, rel string) (err error) {
	var f *os.File
	for range 100 {
		name := filepath.Join(filepath.Dir(p), tempPrefix+strconv.FormatUint(rand.Uint64(), 36))
		f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	step("wrote " + rel)
	return os.Rename(f.Name(), p)
}

// prune walks dir and removes the generated files keep rejects, the
// temporary files of an interrupted write, and the directories that end up
// empty. Directories skip accepts (those of other units) are left alone.
func (w *Writer) prune(dir string, keep func(p string) bool, skip func(dir string) bool) error {
	full := filepath.Join(w.dir, filepath.FromSlash(dir))
	info, err := os.Lstat(full)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%w: %s is not a directory (a symlink or file); lowlat only writes real directories", ErrUnsafe, dir)
	}
	_, err = w.pruneDir(dir, full, keep, skip)
	return err
}

// pruneDir returns whether the directory is left empty (and removed).
func (w *Writer) pruneDir(rel, full string, keep func(p string) bool, skip func(dir string) bool) (bool, error) {
	entries, err := os.ReadDir(full)
	if err != nil {
		return false, err
	}
	left := len(entries)
	for _, e := range entries {
		p := path.Join(rel, e.Name())
		fp := filepath.Join(full, e.Name())
		var gone bool
		switch {
		case e.IsDir() && skip != nil && skip(p):
		case e.IsDir():
			if gone, err = w.pruneDir(p, fp, keep, skip); err != nil {
				return false, err
			}
		case !e.Type().IsRegular():
			return false, fmt.Errorf("%w: %s is not a regular file; lowlat does not follow or replace links in the trees it writes", ErrUnsafe, p)
		case strings.HasPrefix(e.Name(), tempPrefix):
			gone, err = true, w.remove(p, fp, false)
		case keep(p):
		default:
			if gone, err = w.removeGenerated(p, fp); err != nil {
				return false, err
			}
		}
		if err != nil {
			return false, err
		}
		if gone {
			left--
		}
	}
	if left > 0 || w.check {
		return false, nil
	}
	if err := os.Remove(full); err != nil {
		return false, err
	}
	return true, nil
}

// removeGenerated removes a file that carries the generated header.
func (w *Writer) removeGenerated(p, full string) (bool, error) {
	generated, err := IsGenerated(full)
	if err != nil || !generated {
		return false, err // hand-written: kept
	}
	return true, w.remove(p, full, true)
}

// IsGenerated reports whether the file at full starts with the generated
// header, reading only the header's length.
func IsGenerated(full string) (bool, error) {
	f, err := os.Open(full)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, len(Header))
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, err
	}
	return HasHeader(head[:n]), nil
}

func (w *Writer) remove(p, full string, count bool) error {
	if w.check {
		if count {
			w.record(Change{Path: p, Kind: "removed"})
		}
		return nil
	}
	if err := os.Remove(full); err != nil {
		return err
	}
	if count {
		w.removed.Add(1)
	}
	return nil
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

// checkRoots refuses a root name that is not one plain directory.
func checkRoots(roots []string) error {
	for _, root := range roots {
		if root == "" || root == "." || root == ".." || strings.ContainsAny(root, `/\`) {
			return fmt.Errorf("%w: root %q is not a plain directory name", ErrUnsafe, root)
		}
	}
	return nil
}

// step is called at each point where a write may be interrupted; tests set
// it to stop the process there.
var step = func(string) {}

// Checking reports whether w only compares.
func (w *Writer) Checking() bool { return w.check }

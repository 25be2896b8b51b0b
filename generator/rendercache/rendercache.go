// Package rendercache remembers, per output directory and inventory file,
// what the file's clusters were last rendered from and the state of the
// files that render left, so that rendering an unchanged fleet again
// neither parses its unchanged files twice nor renders or writes anything.
//
// A file's clusters are skipped only when both still hold: their inputs
// (the lowlat binary by path, size and time; the inventory file, the
// fleet-wide settings and the topology captures it names, as
// inventory.FleetFile's digest) are as they were, and every cluster's files
// on disk (path, size, modification time, mode) are exactly those the
// render left. Anything else — an edited, touched, checked-out or deleted
// file, a new lowlat build, a changed capture — renders the file's clusters
// again, and the writer then rewrites only the files whose contents
// differ. A file is only ever recorded after it validated and rendered, so
// an unchanged file need not be validated again. The cache lives outside
// the repository (the user's cache directory, or LOWLAT_CACHE_DIR), so it
// is never committed; losing it costs one full render.
package rendercache

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/render"
)

// EnvDir overrides where caches are kept.
const EnvDir = "LOWLAT_CACHE_DIR"

// version changes when the cache's format or meaning does.
const version = 3

// Entry is what the cache keeps of one inventory file.
type Entry struct {
	// Input is the file's digest (inventory.FleetFile) with the binary's.
	Input    string
	Clusters []Cluster
	Warnings []inventory.Problem
}

// Cluster is what the cache keeps of one rendered cluster.
type Cluster struct {
	Name string
	// Files is the digest of the state of its files (see state).
	Files   string
	Summary render.Summary
}

// Own lists the files the cluster owns outside its directories: its root
// Application, when it has one.
func (c Cluster) Own() []string {
	if c.Summary.RootFile == "" {
		return nil
	}
	return []string{c.Summary.RootFile}
}

// record is one line of the cache file: its version first, then kind
// lists and files' entries as the render records them.
type record struct {
	Version int          `json:"version,omitempty"`
	Kinds   *kindList    `json:"kinds,omitempty"`
	Path    string       `json:"path,omitempty"`
	Entry   *storedEntry `json:"entry,omitempty"`
}

// storedEntry is an Entry in the cache file, whose kind lists are each
// written once (a fleet's clusters mostly render the same ones) and named
// by number.
type storedEntry struct {
	Input    string              `json:"input"`
	Clusters []storedCluster     `json:"clusters"`
	Warnings []inventory.Problem `json:"warnings,omitempty"`
}

type storedCluster struct {
	Name     string `json:"name"`
	Files    string `json:"files"`
	Kinds    int    `json:"kinds"`
	RootFile string `json:"rootFile,omitempty"`
}

type kindList struct {
	ID    int      `json:"id"`
	Kinds []string `json:"list"`
}

// Cache is the render cache of one output directory. Entries are written
// to the next cache file as they are recorded, so that what it holds does
// not grow with the fleet; Save puts that file in place. Its methods may be
// called from several goroutines.
type Cache struct {
	path   string
	outDir string
	binary string

	mu    sync.Mutex
	old   map[string]Entry
	next  *os.File
	buf   *bufio.Writer
	enc   *json.Encoder
	kinds map[string]int // kind lists written to next, by their joined kinds
	err   error          // the first error writing next
}

// Open reads the cache of outDir. A missing or unreadable cache is an
// empty one.
func Open(outDir string) (*Cache, error) {
	p, err := location(outDir)
	if err != nil {
		return nil, err
	}
	binary, err := binaryDigest()
	if err != nil {
		return nil, err
	}
	c := &Cache{path: p, outDir: outDir, binary: binary, old: map[string]Entry{}, kinds: map[string]int{}}
	if f, err := os.Open(p); err == nil {
		c.old = readEntries(f)
		f.Close()
	}
	return c, nil
}

// readEntries reads a cache file; anything but a whole cache of this
// version is an empty one.
func readEntries(r io.Reader) map[string]Entry {
	entries := map[string]Entry{}
	kinds := map[int][]string{}
	dec := json.NewDecoder(bufio.NewReader(r))
	var head record
	if dec.Decode(&head) != nil || head.Version != version {
		return map[string]Entry{}
	}
	for {
		var rec record
		switch err := dec.Decode(&rec); {
		case errors.Is(err, io.EOF):
			return entries
		case err != nil:
			return map[string]Entry{}
		case rec.Kinds != nil:
			kinds[rec.Kinds.ID] = rec.Kinds.Kinds
		case rec.Entry != nil:
			e := Entry{Input: rec.Entry.Input, Warnings: rec.Entry.Warnings, Clusters: make([]Cluster, len(rec.Entry.Clusters))}
			for i, cl := range rec.Entry.Clusters {
				e.Clusters[i] = Cluster{Name: cl.Name, Files: cl.Files,
					Summary: render.Summary{Kinds: kinds[cl.Kinds], RootFile: cl.RootFile}}
			}
			entries[rec.Path] = e
		}
	}
}

// location is the cache file of outDir: one per directory, named by its
// resolved absolute path.
func location(outDir string) (string, error) {
	dir := os.Getenv(EnvDir)
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(base, "lowlat", "render")
	}
	abs, err := filepath.Abs(outDir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(dir, hex.EncodeToString(sum[:12])+".json"), nil
}

var (
	binaryOnce sync.Once
	binaryID   string
	binaryErr  error
)

// binaryDigest names the running executable by path, size and
// modification time: a rebuilt lowlat may render differently. (Hashing its
// contents would cost a fifth of an unchanged fleet's re-render.)
func binaryDigest() (string, error) {
	binaryOnce.Do(func() {
		exe, err := os.Executable()
		if err != nil {
			binaryErr = err
			return
		}
		info, err := os.Stat(exe)
		if err != nil {
			binaryErr = err
			return
		}
		binaryID = fmt.Sprintf("%s %d %d", exe, info.Size(), info.ModTime().UnixNano())
	})
	return binaryID, binaryErr
}

func digest(parts ...any) (string, error) {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, p := range parts {
		if err := enc.Encode(p); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// input is what a file's clusters are rendered from.
func (c *Cache) input(f inventory.FleetFile) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d\n%s\n%x", version, c.binary, f.Digest)))
	return hex.EncodeToString(sum[:])
}

// Validated reports whether the file was rendered from the same inputs
// before, which it could only be once it validated.
func (c *Cache) Validated(f inventory.FleetFile) bool {
	c.mu.Lock()
	e, ok := c.old[f.Path]
	c.mu.Unlock()
	return ok && e.Input == c.input(f)
}

// Known returns the clusters of a file whose inputs have not changed since
// its last render and whose files are as that render left them, with the
// warnings its inventory had; the entry carries over to the next Save.
func (c *Cache) Known(f inventory.FleetFile) ([]Cluster, []inventory.Problem, bool) {
	c.mu.Lock()
	e, ok := c.old[f.Path]
	c.mu.Unlock()
	if !ok || e.Input != c.input(f) || len(e.Clusters) != len(f.Clusters) {
		return nil, nil, false
	}
	for i, cl := range e.Clusters {
		if cl.Name != f.Clusters[i] {
			return nil, nil, false
		}
		files, err := c.state(render.ClusterDirs(cl.Name), cl.Own())
		if err != nil || files != cl.Files {
			return nil, nil, false
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.write(f.Path, e)
	return e.Clusters, e.Warnings, true
}

// Rendered records a file's render once its clusters' files are written.
func (c *Cache) Rendered(f inventory.FleetFile, units []render.Unit, warnings []inventory.Problem) error {
	e := Entry{Input: c.input(f), Warnings: warnings}
	for _, u := range units {
		cl := Cluster{Name: u.Cluster, Summary: u.Summary}
		files, err := c.state(u.Dirs, cl.Own())
		if err != nil {
			return err
		}
		cl.Files = files
		e.Clusters = append(e.Clusters, cl)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.write(f.Path, e)
	delete(c.old, f.Path)
	return c.err
}

// write appends a file's entry to the next cache file, with the kind lists
// it uses that are not there yet; c.mu is held.
func (c *Cache) write(path string, e Entry) {
	if c.err != nil {
		return
	}
	if c.next == nil {
		if c.err = c.create(); c.err != nil {
			return
		}
	}
	stored := storedEntry{Input: e.Input, Warnings: e.Warnings, Clusters: make([]storedCluster, len(e.Clusters))}
	for i, cl := range e.Clusters {
		key := strings.Join(cl.Summary.Kinds, ",")
		id, ok := c.kinds[key]
		if !ok {
			id = len(c.kinds)
			c.kinds[key] = id
			if c.err = c.enc.Encode(record{Kinds: &kindList{ID: id, Kinds: cl.Summary.Kinds}}); c.err != nil {
				return
			}
		}
		stored.Clusters[i] = storedCluster{Name: cl.Name, Files: cl.Files, Kinds: id, RootFile: cl.Summary.RootFile}
	}
	c.err = c.enc.Encode(record{Path: path, Entry: &stored})
}

// create starts the next cache file beside the current one.
func (c *Cache) create() error {
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(c.path), ".tmp-*")
	if err != nil {
		return err
	}
	c.next, c.buf = f, bufio.NewWriter(f)
	c.enc = json.NewEncoder(c.buf)
	return c.enc.Encode(record{Version: version})
}

// state hashes the path, size, modification time and mode of every file
// below dirs and of the files own.
func (c *Cache) state(dirs, own []string) (string, error) {
	var lines []string
	add := func(rel string, info fs.FileInfo) {
		lines = append(lines, fmt.Sprintf("%s %d %d %o", rel, info.Size(), info.ModTime().UnixNano(), info.Mode()))
	}
	for _, d := range dirs {
		root := filepath.Join(c.outDir, filepath.FromSlash(d))
		err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := e.Info()
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(c.outDir, p)
			add(filepath.ToSlash(rel), info)
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	for _, p := range own {
		info, err := os.Lstat(filepath.Join(c.outDir, filepath.FromSlash(p)))
		if err != nil {
			return "", err
		}
		add(p, info)
	}
	sort.Strings(lines)
	return digest(lines)
}

// Save puts the entries of this render in place as the cache, atomically;
// files that were not part of it are forgotten.
func (c *Cache) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.next == nil && c.err == nil {
		c.err = c.create()
	}
	if c.err != nil {
		return c.err
	}
	next := c.next
	c.next = nil
	if err := c.buf.Flush(); err != nil {
		next.Close()
		os.Remove(next.Name())
		return err
	}
	if err := next.Close(); err != nil {
		os.Remove(next.Name())
		return err
	}
	if err := os.Rename(next.Name(), c.path); err != nil {
		os.Remove(next.Name())
		return err
	}
	return nil
}

// Close forgets the entries of a render that was not saved.
func (c *Cache) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.next != nil {
		c.next.Close()
		os.Remove(c.next.Name())
		c.next = nil
	}
}

// Package rendercache remembers, per output directory, what each cluster
// was last rendered from and the state of the files that render left, so
// that rendering an unchanged fleet again renders and writes nothing.
//
// A cluster is skipped only when both still hold: its inputs (the lowlat
// binary, the fleet-wide settings, the cluster as loaded, with the
// topology each pool resolved to) hash as they did, and its files on disk
// (path, size, modification time, mode) are exactly those the render left.
// Anything else — an edited, touched, checked-out or deleted file, a new
// lowlat build, a changed capture — renders the cluster again, and the
// writer then rewrites only the files whose contents differ. The cache
// lives outside the repository (the user's cache directory, or
// LOWLAT_CACHE_DIR), so it is never committed; losing it costs one full
// render.
package rendercache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/render"
)

// EnvDir overrides where caches are kept.
const EnvDir = "LOWLAT_CACHE_DIR"

// version changes when the cache's format or meaning does.
const version = 1

// Entry is what the cache keeps of one cluster.
type Entry struct {
	Input   string         `json:"input"`
	Files   string         `json:"files"`
	Own     []string       `json:"own,omitempty"`
	Summary render.Summary `json:"summary"`
}

type file struct {
	Version  int              `json:"version"`
	Clusters map[string]Entry `json:"clusters"`
}

// Cache is the render cache of one output directory. Its methods may be
// called from several goroutines.
type Cache struct {
	path   string
	outDir string
	binary string
	fleet  string

	mu      sync.Mutex
	old     map[string]Entry
	entries map[string]Entry
}

// Open reads the cache of outDir for a render of inv. A missing or
// unreadable cache is an empty one.
func Open(outDir string, inv *inventory.Inventory) (*Cache, error) {
	p, err := location(outDir)
	if err != nil {
		return nil, err
	}
	binary, err := binaryDigest()
	if err != nil {
		return nil, err
	}
	fleet, err := digest(inv.Metadata.Name, inv.Spec.OpenShift, inv.Spec.GitOps)
	if err != nil {
		return nil, err
	}
	c := &Cache{path: p, outDir: outDir, binary: binary, fleet: fleet, old: map[string]Entry{}, entries: map[string]Entry{}}
	if data, err := os.ReadFile(p); err == nil {
		var f file
		if json.Unmarshal(data, &f) == nil && f.Version == version {
			c.old = f.Clusters
		}
	}
	return c, nil
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

// input hashes what a cluster's files are rendered from.
func (c *Cache) input(cl *inventory.Cluster) (string, error) {
	hosts := make([]*inventory.Host, len(cl.NodePools))
	for i := range cl.NodePools {
		hosts[i] = cl.NodePools[i].Host()
	}
	return digest(version, c.binary, c.fleet, cl, hosts)
}

// Known returns the summary of a cluster whose files are as its last
// render left them, from inputs that have not changed since.
func (c *Cache) Known(cl *inventory.Cluster) (render.Summary, []string, bool) {
	c.mu.Lock()
	e, ok := c.old[cl.Name]
	c.mu.Unlock()
	if !ok {
		return render.Summary{}, nil, false
	}
	in, err := c.input(cl)
	if err != nil || in != e.Input {
		return render.Summary{}, nil, false
	}
	files, err := c.state(render.ClusterDirs(cl.Name), e.Own)
	if err != nil || files != e.Files {
		return render.Summary{}, nil, false
	}
	c.mu.Lock()
	c.entries[cl.Name] = e
	c.mu.Unlock()
	return e.Summary, e.Own, true
}

// Rendered records a cluster's render after its files were written; own
// are the files it owns outside its directories.
func (c *Cache) Rendered(cl *inventory.Cluster, own []string, s render.Summary) error {
	in, err := c.input(cl)
	if err != nil {
		return err
	}
	files, err := c.state(render.ClusterDirs(cl.Name), own)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[cl.Name] = Entry{Input: in, Files: files, Own: own, Summary: s}
	return nil
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

// Save writes the entries of this render, replacing the cache file
// atomically; clusters that were not part of it are forgotten.
func (c *Cache) Save() error {
	c.mu.Lock()
	data, err := json.Marshal(file{Version: version, Clusters: c.entries})
	c.mu.Unlock()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), c.path)
}

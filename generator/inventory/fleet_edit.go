package inventory

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"
)

// FileOf is the file of the fleet that lists the cluster.
func (f *Fleet) FileOf(cluster string) (FleetFile, error) {
	for _, ff := range f.files {
		for _, c := range ff.Clusters {
			if c == cluster {
				return ff, nil
			}
		}
	}
	return FleetFile{}, fmt.Errorf("inventory has no cluster %q; its clusters: %s", cluster, strings.Join(f.ClusterNames(), ", "))
}

// Part reads the one file of the fleet that file names (as FleetFile.Path)
// again and returns its clusters with the fleet-wide settings, as Each
// would.
func (f *Fleet) Part(file string) (*Inventory, error) {
	i, err := f.index(file)
	if err != nil {
		return nil, err
	}
	return f.parse(i)
}

// ReadFile returns the bytes of the fleet's file that file names.
func (f *Fleet) ReadFile(file string) ([]byte, error) {
	i, err := f.index(file)
	if err != nil {
		return nil, err
	}
	return readInventory(f.fsys, f.name(i))
}

// WithFile opens the fleet again as it would be with data in place of the
// file that file names, and checks it as OpenFleet does: a tool that edits
// one file of a fleet (lowlat discover) checks its edit with the fleet-wide
// settings and the other files' clusters before it writes anything.
func (f *Fleet) WithFile(file string, data []byte) (*Fleet, error) {
	i, err := f.index(file)
	if err != nil {
		return nil, err
	}
	return OpenFleetFS(replaced{FS: f.fsys, name: f.name(i), data: data}, f.paths, f.label, nil)
}

func (f *Fleet) index(file string) (int, error) {
	for i := range f.files {
		if f.files[i].Path == file {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%s is not a file of the fleet", file)
}

// replaced is FS with the content of one file replaced by data.
type replaced struct {
	fs.FS
	name string
	data []byte
}

func (r replaced) Open(name string) (fs.File, error) {
	if name != r.name {
		return r.FS.Open(name)
	}
	return &memFile{memInfo: r.info(), Reader: bytes.NewReader(r.data)}, nil
}

func (r replaced) Stat(name string) (fs.FileInfo, error) {
	if name == r.name {
		return r.info(), nil
	}
	return fs.Stat(r.FS, name)
}

func (r replaced) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(r.FS, name) }

func (r replaced) info() memInfo {
	return memInfo{name: path.Base(r.name), size: int64(len(r.data))}
}

type memFile struct {
	memInfo
	*bytes.Reader
}

func (m *memFile) Stat() (fs.FileInfo, error) { return m.memInfo, nil }
func (m *memFile) Close() error               { return nil }

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o644 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

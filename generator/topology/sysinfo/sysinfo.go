package sysinfo

import (
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/lowlat/lowlat/generator/osfs"
	"github.com/lowlat/lowlat/generator/topology"
)

// Errors of Read. Each is wrapped with the source and, where there is one,
// the file at fault; test them with errors.Is.
var (
	// ErrNotSnapshot: the path is neither a snapshot nor a must-gather.
	ErrNotSnapshot = errors.New("not a sysfs snapshot")
	// ErrIncomplete: a file the topology needs is missing or unreadable.
	ErrIncomplete = errors.New("incomplete sysfs snapshot")
	// ErrInconsistent: two files disagree about the same CPU.
	ErrInconsistent = errors.New("inconsistent sysfs snapshot")
	// ErrTooLarge: an archive exceeds one of its Limits.
	ErrTooLarge = errors.New("archive too large")
	// ErrNode: the must-gather has no (or no single) node of that name.
	ErrNode = errors.New("must-gather node")
)

// Snapshot is what a sysfs snapshot says about a host's CPUs.
type Snapshot struct {
	// Source is the archive or directory that was read.
	Source string
	// Node is the must-gather node the snapshot belongs to, when known.
	Node string
	// Topology holds the online CPUs. Core is sysfs core_id and Socket
	// physical_package_id, so core ids repeat across sockets.
	Topology topology.Topology
	// Offline holds the CPUs the snapshot lists as offline; they are in no
	// core of Topology, as they are in none of PPC's.
	Offline topology.CPUSet
}

// Name names the host: its node name, else its source.
func (s Snapshot) Name() string {
	if s.Node != "" {
		return s.Node
	}
	return s.Source
}

// Options say what to read from a path.
type Options struct {
	// Node names the node when the path is a must-gather directory; it must
	// be empty for any other path.
	Node string
	// Limits bound reading an archive (and, by MaxFileBytes, each file of
	// a tree); the zero value means DefaultLimits.
	Limits Limits
}

// Read reads the snapshot at path: a sysinfo.tgz archive; a directory that
// holds sys/devices/system (an extracted sysinfo.tgz, or / on a live host);
// a sysfs directory itself (holding devices/system); a must-gather's node
// directory (holding sysinfo.tgz); or a must-gather directory, with
// o.Node naming the node.
func Read(path string, o Options) (Snapshot, error) { return ReadFS(osfs.FS{}, path, o) }

// ReadFS is Read for a snapshot in fsys, such as a git revision; name is a
// path in fsys, and messages and Snapshot.Source name it so.
func ReadFS(fsys fs.FS, name string, o Options) (Snapshot, error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		return Snapshot{}, err
	}
	if !fi.IsDir() {
		if !fi.Mode().IsRegular() { // a named pipe would block the read
			return Snapshot{}, fmt.Errorf("%s: %w: not a regular file or directory", name, ErrNotSnapshot)
		}
		if o.Node != "" {
			return Snapshot{}, fmt.Errorf("%s: %w %q: a node name selects a node of a must-gather directory, and this is a file", name, ErrNode, o.Node)
		}
		return readArchiveFS(fsys, name, o.Limits)
	}
	if files, ok := sysfsTree(fsys, name, o.Limits.orDefault()); ok {
		if o.Node != "" {
			return Snapshot{}, fmt.Errorf("%s: %w %q: a node name selects a node of a must-gather directory, and this is a sysfs tree", name, ErrNode, o.Node)
		}
		return readFiles(name, files)
	}
	archive, node, err := locateNode(fsys, name, o.Node)
	if err != nil {
		return Snapshot{}, err
	}
	s, err := readArchiveFS(fsys, archive, o.Limits)
	s.Node = node
	return s, err
}

// ReadArchive reads a gzip-compressed tar archive of a sysfs snapshot, such
// as a must-gather's nodes/NAME/sysinfo.tgz.
func ReadArchive(path string, l Limits) (Snapshot, error) { return readArchiveFS(osfs.FS{}, path, l) }

func readArchiveFS(fsys fs.FS, name string, l Limits) (Snapshot, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return Snapshot{}, err
	}
	defer f.Close()
	files, err := readArchive(f, l.orDefault())
	if err != nil {
		return Snapshot{}, fmt.Errorf("%s: %w", name, err)
	}
	return readFiles(name, files)
}

// sysfsTree returns the files of the sysfs tree at dir: dir/sys/devices/system
// or, when dir is sysfs itself, dir/devices/system.
func sysfsTree(fsys fs.FS, dir string, l Limits) (snapshotFiles, bool) {
	var strip string
	switch {
	case isDir(fsys, path.Join(dir, cpuDir)):
	case isDir(fsys, path.Join(dir, "devices", "system", "cpu")):
		strip = "sys/"
	default:
		return nil, false
	}
	sub, err := subFS(fsys, dir)
	if err != nil {
		return nil, false
	}
	return dirFiles{fsys: sub, strip: strip, maxFile: l.MaxFileBytes}, true
}

// subFS is fs.Sub, except that it lets an fs.SubFS check dir itself:
// osfs.FS takes paths fs.Sub would refuse.
func subFS(fsys fs.FS, dir string) (fs.FS, error) {
	if s, ok := fsys.(fs.SubFS); ok {
		return s.Sub(dir)
	}
	return fs.Sub(fsys, dir)
}

func isDir(fsys fs.FS, name string) bool {
	fi, err := fs.Stat(fsys, name)
	return err == nil && fi.IsDir()
}

func readFiles(source string, files snapshotFiles) (Snapshot, error) {
	topo, offline, err := parse(files)
	if err != nil {
		return Snapshot{}, fmt.Errorf("%s: %w", source, err)
	}
	return Snapshot{Source: source, Topology: topo, Offline: offline}, nil
}

// snapshotFiles is the part of a snapshot the parser reads. Names are
// slash-separated and relative to the snapshot's root (sys/devices/...).
type snapshotFiles interface {
	// read returns a file's content; an error wrapping fs.ErrNotExist when
	// the snapshot does not have it.
	read(name string) (string, error)
	// list returns the names directly under dir; an error wrapping
	// fs.ErrNotExist when the snapshot does not have dir.
	list(dir string) ([]string, error)
}

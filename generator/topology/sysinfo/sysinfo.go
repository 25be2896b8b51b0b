package sysinfo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

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
func Read(path string, o Options) (Snapshot, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return Snapshot{}, err
	}
	if !fi.IsDir() {
		if !fi.Mode().IsRegular() { // a named pipe would block the read
			return Snapshot{}, fmt.Errorf("%s: %w: not a regular file or directory", path, ErrNotSnapshot)
		}
		if o.Node != "" {
			return Snapshot{}, fmt.Errorf("%s: %w %q: a node name selects a node of a must-gather directory, and this is a file", path, ErrNode, o.Node)
		}
		return ReadArchive(path, o.Limits)
	}
	if files, ok := sysfsTree(path, o.Limits.orDefault()); ok {
		if o.Node != "" {
			return Snapshot{}, fmt.Errorf("%s: %w %q: a node name selects a node of a must-gather directory, and this is a sysfs tree", path, ErrNode, o.Node)
		}
		return readFiles(path, files)
	}
	archive, node, err := locateNode(path, o.Node)
	if err != nil {
		return Snapshot{}, err
	}
	s, err := ReadArchive(archive, o.Limits)
	s.Node = node
	return s, err
}

// ReadArchive reads a gzip-compressed tar archive of a sysfs snapshot, such
// as a must-gather's nodes/NAME/sysinfo.tgz.
func ReadArchive(path string, l Limits) (Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return Snapshot{}, err
	}
	defer f.Close()
	files, err := readArchive(f, l.orDefault())
	if err != nil {
		return Snapshot{}, fmt.Errorf("%s: %w", path, err)
	}
	return readFiles(path, files)
}

// sysfsTree returns the files of the sysfs tree at dir: dir/sys/devices/system
// or, when dir is sysfs itself, dir/devices/system.
func sysfsTree(dir string, l Limits) (snapshotFiles, bool) {
	if isDir(filepath.Join(dir, cpuDir)) {
		return dirFiles{fsys: os.DirFS(dir), maxFile: l.MaxFileBytes}, true
	}
	if isDir(filepath.Join(dir, "devices", "system", "cpu")) {
		return dirFiles{fsys: os.DirFS(dir), strip: "sys/", maxFile: l.MaxFileBytes}, true
	}
	return nil, false
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
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

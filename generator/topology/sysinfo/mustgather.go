package sysinfo

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// ArchiveName is the file a performance must-gather keeps each node's ghw
// snapshot in, under nodes/NAME/ (PPC's mustgather.go, sysInfoFileName).
const ArchiveName = "sysinfo.tgz"

// locateNode finds node's snapshot archive in the must-gather at dir. dir
// may be the directory `oc adm must-gather` wrote (holding one image
// directory), the image directory (holding nodes/), nodes/ itself, or one
// node's directory (holding sysinfo.tgz; node may then be empty).
func locateNode(fsys fs.FS, dir, node string) (archive, name string, err error) {
	if own := path.Join(dir, ArchiveName); isFile(fsys, own) {
		if base := path.Base(dir); node != "" && node != base {
			return "", "", fmt.Errorf("%s: %w %q: this is the directory of node %s", dir, ErrNode, node, base)
		}
		return own, path.Base(dir), nil
	}
	nodesDir, err := findNodesDir(fsys, dir)
	if err != nil {
		return "", "", err
	}
	nodes, err := nodeNames(fsys, nodesDir)
	if err != nil {
		return "", "", err
	}
	if !slices.Contains(nodes, node) {
		return "", "", fmt.Errorf("%s: %w: %s; the must-gather has snapshots of %s", dir, ErrNode, missingNode(node), strings.Join(nodes, ", "))
	}
	return path.Join(nodesDir, node, ArchiveName), node, nil
}

func missingNode(node string) string {
	if node == "" {
		return "no node named"
	}
	return fmt.Sprintf("no snapshot of node %q", node)
}

// findNodesDir returns the one nodes/ directory of a must-gather: dir
// itself, dir/nodes, or dir/*/nodes. PPC also insists on exactly one.
func findNodesDir(fsys fs.FS, dir string) (string, error) {
	if path.Base(path.Clean(dir)) == "nodes" {
		return dir, nil
	}
	candidates := []string{path.Join(dir, "nodes")}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		candidates = append(candidates, path.Join(dir, e.Name(), "nodes"))
	}
	var found []string
	for _, c := range candidates {
		if isDir(fsys, c) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("%s: %w: it has no %s, no sys/devices/system/cpu and no nodes/NAME/%s of a must-gather",
			dir, ErrNotSnapshot, ArchiveName, ArchiveName)
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("%s: %w: it holds %d must-gathers (%s); name one of their directories",
		dir, ErrNode, len(found), strings.Join(found, ", "))
}

// nodeNames returns the names of the nodes under a must-gather's nodes/
// directory that have a snapshot, sorted.
func nodeNames(fsys fs.FS, nodesDir string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, nodesDir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && isFile(fsys, path.Join(nodesDir, e.Name(), ArchiveName)) {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: %w: no node has a %s", nodesDir, ErrNotSnapshot, ArchiveName)
	}
	return names, nil
}

func isFile(fsys fs.FS, name string) bool {
	fi, err := fs.Stat(fsys, name)
	return err == nil && fi.Mode().IsRegular()
}

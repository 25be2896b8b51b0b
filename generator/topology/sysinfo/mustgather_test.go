package sysinfo

import (
	"os"
	"path/filepath"
	"testing"
)

// mustGather writes a must-gather holding snapshots of the named nodes, laid
// out as `oc adm must-gather` writes one: DIR/<image>/nodes/<node>/sysinfo.tgz.
func mustGather(t *testing.T, nodes ...string) string {
	t.Helper()
	dir := t.TempDir()
	data := smallXeon().tgz(t, "")
	for _, n := range nodes {
		writeFile(t, dir, filepath.Join("quay-io-must-gather-sha256-0123", "nodes", n, ArchiveName), data)
	}
	return dir
}

func TestReadFindsANodeOfAMustGather(t *testing.T) {
	dir := mustGather(t, "worker-0", "worker-1")
	image := filepath.Join(dir, "quay-io-must-gather-sha256-0123")
	for _, path := range []string{dir, image, filepath.Join(image, "nodes")} {
		s, err := Read(path, Options{Node: "worker-1"})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		want := filepath.Join(image, "nodes", "worker-1", ArchiveName)
		if s.Node != "worker-1" || s.Source != want || s.Name() != "worker-1" {
			t.Errorf("%s: got node %q source %q, want worker-1 and %s", path, s.Node, s.Source, want)
		}
	}
}

func TestReadTakesANodeDirectoryWithOrWithoutItsName(t *testing.T) {
	node := filepath.Join(mustGather(t, "worker-0"), "quay-io-must-gather-sha256-0123", "nodes", "worker-0")
	for _, name := range []string{"", "worker-0"} {
		s, err := Read(node, Options{Node: name})
		if err != nil || s.Node != "worker-0" {
			t.Errorf("node %q: got node %q, error %v", name, s.Node, err)
		}
	}
	_, err := Read(node, Options{Node: "worker-1"})
	assertError(t, err, ErrNode, `must-gather node "worker-1": this is the directory of node worker-0`)
}

func TestReadRejectsMustGatherNodesItCannotPick(t *testing.T) {
	twoGathers := mustGather(t, "worker-0")
	writeFile(t, twoGathers, filepath.Join("quay-io-must-gather-sha256-4567", "nodes", "worker-0", ArchiveName), smallXeon().tgz(t, ""))
	noSnapshots := t.TempDir()
	if err := os.MkdirAll(filepath.Join(noSnapshots, "nodes", "worker-0"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, dir, node, has string
		want                 error
	}{
		{"a must-gather without a node name lists its nodes", mustGather(t, "worker-1", "master-0"), "", "no node named; the must-gather has snapshots of master-0, worker-1", ErrNode},
		{"an unknown node lists the known ones", mustGather(t, "worker-1"), "worker-9", `no snapshot of node "worker-9"; the must-gather has snapshots of worker-1`, ErrNode},
		{"a path in the node name is not followed", mustGather(t, "worker-1"), "../nodes/worker-1", `no snapshot of node "../nodes/worker-1"`, ErrNode},
		{"a directory holding two must-gathers is rejected", twoGathers, "worker-0", "it holds 2 must-gathers", ErrNode},
		{"a must-gather whose nodes have no snapshot is rejected", noSnapshots, "worker-0", "no node has a sysinfo.tgz", ErrNotSnapshot},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(c.dir, Options{Node: c.node})
			assertError(t, err, c.want, c.has)
		})
	}
}

func TestReadRejectsANodeNameForAnArchive(t *testing.T) {
	path := writeFile(t, t.TempDir(), ArchiveName, smallXeon().tgz(t, ""))
	_, err := Read(path, Options{Node: "worker-0"})
	assertError(t, err, ErrNode, "a node name selects a node of a must-gather directory, and this is a file")
}

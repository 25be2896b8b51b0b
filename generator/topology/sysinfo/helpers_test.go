package sysinfo

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// snapshot is a synthetic sysfs snapshot: file contents, and symbolic links
// with their targets, by name relative to the snapshot's root.
type snapshot struct {
	files map[string]string
	links map[string]string
}

// smallXeon is 8 CPUs numbered the interleaved way of PPC's must-gather
// worker: socket (and NUMA node) = CPU id % 2, sibling of n = n+4. Its
// core_id is not in CPU order: CPUs 0 and 1 are core 5, CPUs 2 and 3 core 2.
func smallXeon() snapshot {
	s := snapshot{files: map[string]string{cpuDir + "/offline": "\n"}, links: map[string]string{}}
	coreIDs := []int{5, 2}
	for id := range 8 {
		first := id % 4
		topo := fmt.Sprintf("%s/cpu%d/topology/", cpuDir, id)
		s.files[topo+"core_id"] = fmt.Sprintf("%d\n", coreIDs[first/2])
		s.files[topo+"physical_package_id"] = fmt.Sprintf("%d\n", id%2)
		s.files[topo+"thread_siblings_list"] = fmt.Sprintf("%d,%d\n", first, first+4)
		s.files[topo+"core_cpus_list"] = fmt.Sprintf("%d,%d\n", first, first+4)
		if id > 0 { // the kernel has no online file for the boot CPU
			s.files[fmt.Sprintf("%s/cpu%d/online", cpuDir, id)] = "1\n"
		}
		s.links[fmt.Sprintf("%s/node%d/cpu%d", nodeDir, id%2, id)] = fmt.Sprintf("../../cpu/cpu%d", id)
	}
	s.files[nodeDir+"/node0/cpulist"] = "0,2,4,6\n"
	s.files[nodeDir+"/node1/cpulist"] = "1,3,5,7\n"
	return s
}

// with returns a copy of s with files set ("" deletes) and links dropped.
func (s snapshot) with(files map[string]string, dropLinks ...string) snapshot {
	out := snapshot{files: maps.Clone(s.files), links: maps.Clone(s.links)}
	for name, content := range files {
		if content == "" {
			delete(out.files, name)
		} else {
			out.files[name] = content
		}
	}
	for _, prefix := range dropLinks {
		maps.DeleteFunc(out.links, func(name, _ string) bool { return strings.HasPrefix(name, prefix) })
	}
	return out
}

// writeTree writes s under dir.
func (s snapshot) writeTree(t *testing.T, dir string) string {
	t.Helper()
	for _, name := range slices.Sorted(maps.Keys(s.files)) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(s.files[name]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.links)) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(s.links[name], path); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// tgz returns s as a gzip-compressed tar archive whose names start with prefix.
func (s snapshot) tgz(t testing.TB, prefix string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, name := range slices.Sorted(maps.Keys(s.files)) {
		writeEntry(t, tw, &tar.Header{Name: prefix + name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(s.files[name]))}, s.files[name])
	}
	for _, name := range slices.Sorted(maps.Keys(s.links)) {
		writeEntry(t, tw, &tar.Header{Name: prefix + name, Typeflag: tar.TypeSymlink, Linkname: s.links[name], Mode: 0o777}, "")
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeEntry(t testing.TB, tw *tar.Writer, hdr *tar.Header, content string) {
	t.Helper()
	if err := tw.WriteHeader(hdr); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
}

// writeFile writes data to dir/name and returns its path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

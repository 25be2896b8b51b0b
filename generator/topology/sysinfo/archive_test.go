package sysinfo

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/topology"
)

func TestReadArchiveReadsWhatTheTreeHolds(t *testing.T) {
	for _, prefix := range []string{"", "./", "/", "sysinfo/"} {
		path := writeFile(t, t.TempDir(), "sysinfo.tgz", smallXeon().tgz(t, prefix))
		s, err := Read(path, Options{})
		if err != nil {
			t.Fatalf("prefix %q: %v", prefix, err)
		}
		if diff := cmp.Diff(smallXeonTopology(), s.Topology, cmp.AllowUnexported(topology.CPUSet{})); diff != "" {
			t.Errorf("prefix %q: topology (-want +got):\n%s", prefix, diff)
		}
	}
}

func TestReadArchiveRejectsBadArchives(t *testing.T) {
	small := Limits{MaxEntries: 1000, MaxBytes: 1 << 20, MaxFileBytes: 1024}
	cases := []struct {
		name   string
		data   []byte
		limits Limits
		want   error
		has    string
	}{
		{"a file that is not gzip-compressed is rejected", []byte("CPU,Core,Socket,Node\n"), small, ErrNotSnapshot, "not a gzip-compressed tar archive"},
		{"a gzip stream that is not a tar archive is rejected", gzipped(t, bytes.Repeat([]byte("x"), 2000)), small, ErrIncomplete, "reading entry 1"},
		{"a truncated archive is rejected", smallXeon().tgz(t, "")[:300], small, ErrIncomplete, "reading entry"},
		{"an archive with more entries than the limit is rejected", smallXeon().tgz(t, ""), Limits{MaxEntries: 10, MaxBytes: 1 << 20, MaxFileBytes: 1024}, ErrTooLarge, "more than 10 entries"},
		{"an archive that uncompresses beyond the limit is rejected", smallXeon().tgz(t, ""), Limits{MaxEntries: 1000, MaxBytes: 4096, MaxFileBytes: 1024}, ErrTooLarge, "uncompresses to more than 4096 bytes"},
		{"a file above the per-file limit is rejected", smallXeon().tgz(t, ""), Limits{MaxEntries: 1000, MaxBytes: 1 << 20, MaxFileBytes: 1}, ErrTooLarge, "larger than 1 bytes"},
		{"an archive without sys/devices/system is rejected", snapshot{files: map[string]string{"proc/cpuinfo": "processor : 0\n"}}.tgz(t, ""), small, ErrNotSnapshot, "the archive has no sys/devices/system/"},
		{"an archive with two snapshots is rejected", twoRoots(t), small, ErrInconsistent, `two snapshots in one archive, under "a/sys/devices/system/" and "b/sys/devices/system/"`},
		{"a needed file stored as a link is rejected", linkedCoreID(t), small, ErrIncomplete, "cpu0/topology/core_id is a symbolic link, not a regular file"},
		{"an incomplete snapshot in an archive names the file", smallXeon().with(map[string]string{cpuDir + "/cpu5/topology/core_id": ""}).tgz(t, ""), small, ErrIncomplete, "sys/devices/system/cpu/cpu5/topology/core_id is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "sysinfo.tgz", c.data)
			_, err := Read(path, Options{Limits: c.limits})
			assertError(t, err, c.want, c.has)
			assertError(t, err, c.want, path+": ")
		})
	}
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// twoRoots is an archive holding two snapshots side by side.
func twoRoots(t *testing.T) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, name := range []string{"a/" + cpuDir + "/cpu0/online", "b/" + cpuDir + "/cpu0/online"} {
		writeEntry(t, tw, &tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: 2}, "1\n")
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return gzipped(t, buf.Bytes())
}

// linkedCoreID is smallXeon with cpu0's core_id a symbolic link.
func linkedCoreID(t *testing.T) []byte {
	s := smallXeon().with(map[string]string{cpuDir + "/cpu0/topology/core_id": ""})
	s.links[cpuDir+"/cpu0/topology/core_id"] = "../../cpu1/topology/core_id"
	return s.tgz(t, "")
}

// FuzzReadArchive: no archive makes the reader panic, exceed its limits or
// return a topology that does not validate.
func FuzzReadArchive(f *testing.F) {
	f.Add(smallXeon().tgz(f, ""))
	f.Add(smallXeon().tgz(f, "./"))
	f.Add([]byte("\x1f\x8b"))
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := readArchive(bytes.NewReader(data), Limits{MaxEntries: 1000, MaxBytes: 1 << 20, MaxFileBytes: 4096})
		if err != nil {
			return
		}
		topo, _, err := parse(files)
		if err == nil {
			if verr := topo.Validate(); verr != nil {
				t.Fatalf("parse returned a topology that does not validate: %v", verr)
			}
		}
	})
}

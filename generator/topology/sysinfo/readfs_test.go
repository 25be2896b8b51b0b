package sysinfo

import (
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/topology"
)

// mapFS puts s under dir of a file system in memory; its node links become
// empty files, which is all a listing needs.
func (s snapshot) mapFS(dir string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, content := range s.files {
		m[dir+"/"+name] = &fstest.MapFile{Data: []byte(content)}
	}
	for name := range s.links {
		m[dir+"/"+name] = &fstest.MapFile{}
	}
	return m
}

func TestReadFSReadsSnapshotsInsideAnyFileSystem(t *testing.T) {
	fsys := smallXeon().mapFS("rev/host")
	fsys["rev/mg/image/nodes/worker-0/"+ArchiveName] = &fstest.MapFile{Data: smallXeon().tgz(t, "")}
	for _, tc := range []struct{ name, node, source string }{
		{"rev/host", "", "rev/host"},
		{"rev/host/sys", "", "rev/host/sys"},
		{"rev/mg", "worker-0", "rev/mg/image/nodes/worker-0/" + ArchiveName},
		{"rev/mg/image/nodes/worker-0/" + ArchiveName, "", "rev/mg/image/nodes/worker-0/" + ArchiveName},
	} {
		s, err := ReadFS(fsys, tc.name, Options{Node: tc.node})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(smallXeonTopology(), s.Topology, cmp.AllowUnexported(topology.CPUSet{})); diff != "" {
			t.Errorf("%s: topology (-want +got):\n%s", tc.name, diff)
		}
		if s.Source != tc.source || s.Node != tc.node {
			t.Errorf("%s: source %q node %q, want %q %q", tc.name, s.Source, s.Node, tc.source, tc.node)
		}
	}
}

func TestReadFSNamesWhatIsMissingByItsPathInTheFileSystem(t *testing.T) {
	fsys := smallXeon().with(map[string]string{cpuDir + "/cpu3/topology/core_id": ""}).mapFS("rev/host")
	_, err := ReadFS(fsys, "rev/host", Options{})
	if !errors.Is(err, ErrIncomplete) || err.Error() != "rev/host: incomplete sysfs snapshot: sys/devices/system/cpu/cpu3/topology/core_id is missing" {
		t.Errorf("got %v", err)
	}
	if _, err := ReadFS(fsys, "rev/none", Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing path: got %v", err)
	}
}

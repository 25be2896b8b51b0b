package host_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/host"
	"github.com/lowlat/lowlat/generator/topology"
)

func c5(t *testing.T) ([]byte, catalog.InstanceType) {
	t.Helper()
	data, err := os.ReadFile("../../fixtures/topologies/c5.metal.lscpu")
	if err != nil {
		t.Fatal(err)
	}
	it, err := catalog.Lookup("c5.metal")
	if err != nil {
		t.Fatal(err)
	}
	return data, it
}

func TestReadLscpuReadsRelativeToTheFilesDirectory(t *testing.T) {
	data, it := c5(t)
	files := host.Files{FS: fstest.MapFS{"repo/topologies/c5.lscpu": {Data: data}}, Dir: "repo/inventories"}
	h, err := host.ReadLscpu(files, "../topologies/c5.lscpu")
	if err != nil {
		t.Fatal(err)
	}
	if h.Name != "repo/topologies/c5.lscpu" || h.Input != host.Lscpu || !h.Offline().IsEmpty() {
		t.Errorf("host %q input %s offline %s", h.Name, h.Input, h.Offline())
	}
	topo, err := h.For(it)
	if err != nil || !topo.All().Equal(it.Topology().All()) {
		t.Errorf("For c5.metal: %v", err)
	}
}

func TestCaptureProblemsSayWhatIsWrong(t *testing.T) {
	data, it := c5(t)
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.lscpu"), 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	files := host.Files{FS: fstest.MapFS{
		"garbage.lscpu": {Data: []byte("hello\n")},
		"half.lscpu":    {Data: []byte(firstLines(string(data), 60))},
	}}
	cases := []struct {
		name  string
		read  func() (host.Host, error)
		want  string
		cause string // the reason alone, for a caller that names the file
	}{
		{"a capture that is not lscpu output names the file and says how to capture one",
			func() (host.Host, error) { return host.ReadLscpu(files, "garbage.lscpu") },
			"garbage.lscpu: lscpu output line 1", "lscpu output line 1"},
		{"a missing capture is the open error",
			func() (host.Host, error) { return host.ReadLscpu(files, "missing.lscpu") },
			"open missing.lscpu: file does not exist", ""},
		{"a named pipe is refused before it is opened",
			func() (host.Host, error) { return host.ReadLscpu(host.OS(dir), "pipe.lscpu") },
			filepath.Join(dir, "pipe.lscpu") + ": not a regular file", ""},
		{"a capture of another host has the wrong CPU count",
			func() (host.Host, error) {
				h, err := host.ReadLscpu(files, "half.lscpu")
				if err == nil {
					_, err = h.For(it)
				}
				return h, err
			},
			"but c5.metal has 96; is it a capture of another instance type?", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.read()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			var ce *host.CaptureError
			if tc.cause != "" && (!errors.As(err, &ce) || !strings.HasPrefix(ce.Err.Error(), tc.cause)) {
				t.Errorf("reason %v, want it to start %q", err, tc.cause)
			}
		})
	}
}

func TestPartitioningRequestReadsTheReservedSet(t *testing.T) {
	req, err := host.Partitioning{ReservedSet: "0-1,48-49", Offlined: 2, DisableHT: true}.Request()
	if err != nil || req.ReservedSet.String() != "0-1,48-49" || req.Offlined != 2 || !req.DisableHT {
		t.Fatalf("request %+v, %v", req, err)
	}
	if _, err := (host.Partitioning{ReservedSet: "0-"}).Request(); !errors.Is(err, topology.ErrInvalidCPUSet) {
		t.Errorf("a bad cpulist: got %v", err)
	}
}

func TestTheCatalogsHostIsWrittenAsACapture(t *testing.T) {
	h, err := host.LookupCatalog("c5.metal")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := h.WriteLscpu(&b); err != nil {
		t.Fatal(err)
	}
	back, err := host.ParseLscpu(strings.NewReader(b.String()), "written")
	if err != nil || !strings.HasPrefix(b.String(), "# c5.metal as lowlat's catalog assumes it.\n") || len(back.Topology.CPUs) != 96 {
		t.Errorf("written capture reads back as %d CPUs, %v:\n%.200s", len(back.Topology.CPUs), err, b.String())
	}
	if _, err := host.LookupCatalog("c5.large"); err == nil {
		t.Error("an unknown instance type was found")
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	return strings.Join(lines[:n], "")
}

package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeSmallXeon writes an 8-CPU sysfs tree numbered the interleaved way of
// PPC's must-gather worker (socket and NUMA node = CPU % 2, sibling of n =
// n+4) whose core_id is not in CPU order (CPUs 0,4 are core 5 and CPUs 2,6
// core 2 on socket 0), and returns its directory.
func writeSmallXeon(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"sys/devices/system/node/node0/cpulist": "0,2,4,6\n",
		"sys/devices/system/node/node1/cpulist": "1,3,5,7\n",
	}
	for id := range 8 {
		topo := fmt.Sprintf("sys/devices/system/cpu/cpu%d/topology/", id)
		files[topo+"core_id"] = fmt.Sprintf("%d\n", []int{5, 2}[(id%4)/2])
		files[topo+"physical_package_id"] = fmt.Sprintf("%d\n", id%2)
		files[topo+"thread_siblings_list"] = fmt.Sprintf("%d,%d\n", id%4, id%4+4)
	}
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestTopologyDescribesASysfsSnapshot(t *testing.T) {
	dir := writeSmallXeon(t)
	code, out, stderr := runLowlat("", "topology", "--sysinfo", dir)
	want := `host ` + dir + `
  read from  ` + dir + ` (sysfs)
  core ids   sysfs core_id: offlining follows the Performance Profile Creator's order
  CPUs       8: 2 sockets, 2 NUMA nodes, 4 cores, 2 threads per core (SMT on)

socket  NUMA nodes  cores  CPUs
0       0           2      0,2,4,6
1       1           2      1,3,5,7

NUMA node  sockets  cores  CPUs
0          0        2      0,2,4,6
1          1        2      1,3,5,7

cores in offlining order (socket, then core id)
socket  core  NUMA node  CPUs
0       2     0          2,6
0       5     0          0,4
1       2     1          3,7
1       5     1          1,5
`
	if code != 0 || out != want {
		t.Errorf("exit %d, stderr %q, stdout (-want +got):\n%s", code, stderr, cmp.Diff(want, out))
	}
}

func TestTopologyJSONHasPPCInfoFields(t *testing.T) {
	code, out, _ := runLowlat("", "topology", "--sysinfo", writeSmallXeon(t), "-o", "json")
	var got topologyReport
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	want := []any{"sysfs", true, 8, true, 2, []cpuGroup{{ID: 0, Cores: 2, CPUs: "0,2,4,6"}, {ID: 1, Cores: 2, CPUs: "1,3,5,7"}}}
	if diff := cmp.Diff(want, []any{got.Input, got.PhysicalCoreIDs, got.CPUs, got.SMT, got.ThreadsPerCore, got.NUMANodes}); diff != "" {
		t.Errorf("input, physical core ids, CPUs, SMT, threads per core, NUMA nodes (-want +got):\n%s", diff)
	}
}

func TestTopologyToLscpuKeepsTheSnapshotsOffliningOrder(t *testing.T) {
	dir := writeSmallXeon(t)
	code, lscpu, stderr := runLowlat("", "topology", "--sysinfo", dir, "--to-lscpu")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	args := []string{"--reserved", "2", "--offlined", "2", "-o", "json"}
	_, fromSysfs, _ := runLowlat("", append([]string{"cpus", "--sysinfo", dir}, args...)...)
	code, fromLscpu, stderr := runLowlat(lscpu, append([]string{"cpus", "--lscpu", "-"}, args...)...)
	// Second threads go offline socket by socket in core_id order: 6 (core 2
	// of socket 0), then 7 (core 2 of socket 1), not 5 (core 5), which
	// lscpu's CPU-order numbering would put first.
	if code != 0 || !strings.Contains(fromSysfs, `"offlined": "6-7"`) || fromLscpu != fromSysfs {
		t.Errorf("exit %d %s; from sysfs:\n%s\nfrom its lscpu form:\n%s", code, stderr, fromSysfs, fromLscpu)
	}
}

func TestTopologyComparesAHostWithTheCatalog(t *testing.T) {
	code, out, _ := runLowlat("", "topology", "--lscpu", c5Fixture, "--instance-type", "c5.metal")
	if code != 0 || !strings.Contains(out, "numbering         same  same     matches") || !strings.Contains(out, "the host is c5.metal as the catalog assumes it") {
		t.Errorf("c5.metal capture: exit %d:\n%s", code, out)
	}
	code, out, stderr := runLowlat("", "topology", "--sysinfo", writeSmallXeon(t), "--instance-type", "c5.metal")
	for _, want := range []string{"CPUs              8", "DIFFERS", "CPU 0: socket 0, NUMA node 0, core 0,4", "CPU 0: socket 0, NUMA node 0, core 0,48", "give its pool this topology"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code != exitLayoutMismatch || !strings.Contains(stderr, "does not match the catalog's c5.metal") {
		t.Errorf("exit %d, stderr %q; want %d and the mismatch", code, stderr, exitLayoutMismatch)
	}
}

func TestTopologyDescribesTheCatalogsLayout(t *testing.T) {
	code, out, _ := runLowlat("", "topology", "--instance-type", "c5.metal")
	if code != 0 || !strings.Contains(out, "read from  the catalog's assumed layout (catalog)") || !strings.Contains(out, "0       0           24     0-23,48-71") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestTopologyAndCPUsRejectBadHostFlags(t *testing.T) {
	dir := writeSmallXeon(t)
	mustGather := filepath.Join(t.TempDir(), "nodes", "worker-0")
	if err := os.MkdirAll(mustGather, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mustGather, "sysinfo.tgz"), []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"topology without a host says how to give one", []string{"topology"}, "give the host with --sysinfo PATH [--node NAME], --lscpu FILE or --instance-type TYPE"},
		{"a node without a snapshot is refused", []string{"topology", "--node", "worker-0"}, "--node names a node of the must-gather given with --sysinfo"},
		{"sysinfo and lscpu together are refused", []string{"topology", "--sysinfo", dir, "--lscpu", c5Fixture}, "[lscpu sysinfo] were all set"},
		{"to-lscpu with a comparison is refused", []string{"topology", "--sysinfo", dir, "--instance-type", "c5.metal", "--to-lscpu"}, "--to-lscpu converts one host"},
		{"an unknown output format is refused", []string{"topology", "--instance-type", "c5.metal", "-o", "yaml"}, `--output "yaml" is not one of text, json`},
		{"a must-gather without a node asks for one", []string{"topology", "--sysinfo", filepath.Dir(filepath.Dir(mustGather))}, "snapshots of worker-0: name one with --node"},
		{"a broken snapshot names the archive", []string{"topology", "--sysinfo", filepath.Dir(filepath.Dir(mustGather)), "--node", "worker-0"}, "worker-0/sysinfo.tgz: not a sysfs snapshot: not a gzip-compressed tar archive"},
		{"cpus with an instance type and a snapshot is refused", []string{"cpus", "--instance-type", "c5.metal", "--sysinfo", dir, "--reserved", "2"}, "[instance-type sysinfo] were all set"},
		{"cpus with a node but no snapshot is refused", []string{"cpus", "--node", "worker-0", "--reserved", "2"}, "--node names a node of the must-gather given with --sysinfo"},
		{"cpus without a host lists every way to give one", []string{"cpus", "--reserved", "2"}, "give the host with --instance-type TYPE or --lscpu FILE, or a sysfs snapshot with --sysinfo PATH [--node NAME]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runLowlat("", c.args...)
			if code == 0 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want non-zero and %q", code, stderr, c.want)
			}
		})
	}
}

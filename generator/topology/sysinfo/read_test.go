package sysinfo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/topology"
)

// smallXeonTopology is what smallXeon says.
func smallXeonTopology() topology.Topology {
	var cpus []topology.CPU
	for id := range 8 {
		cpus = append(cpus, topology.CPU{ID: id, Core: []int{5, 2}[(id%4)/2], Socket: id % 2, Node: id % 2})
	}
	return topology.Topology{CPUs: cpus}
}

func TestReadTakesPhysicalCoreIDsFromAnExtractedTree(t *testing.T) {
	dir := smallXeon().writeTree(t, t.TempDir())
	s, err := Read(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(smallXeonTopology(), s.Topology, cmp.AllowUnexported(topology.CPUSet{})); diff != "" {
		t.Errorf("topology (-want +got):\n%s", diff)
	}
	if s.Source != dir || s.Node != "" || !s.Offline.IsEmpty() {
		t.Errorf("got source %q node %q offline %s, want %q, no node, none offline", s.Source, s.Node, s.Offline, dir)
	}
	// Offlining walks socket 0's cores in core_id order: core 2 (CPUs 2, 6) first.
	if got := s.Topology.Cores()[0].CPUs; !cmp.Equal(got, []int{2, 6}) {
		t.Errorf("first core to offline has CPUs %v, want [2 6]", got)
	}
}

func TestReadAcceptsSysfsItselfAsTheRoot(t *testing.T) {
	dir := smallXeon().writeTree(t, t.TempDir())
	s, err := Read(filepath.Join(dir, "sys"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Topology.CPUs) != 8 {
		t.Errorf("got %d CPUs, want 8", len(s.Topology.CPUs))
	}
}

func TestReadLeavesOfflineCPUsOutAsPPCDoes(t *testing.T) {
	snap := smallXeon().with(map[string]string{
		cpuDir + "/cpu5/online":                        "0\n",
		cpuDir + "/offline":                            "5\n",
		cpuDir + "/cpu1/topology/thread_siblings_list": "1\n", // the kernel drops offline siblings
		cpuDir + "/cpu1/topology/core_cpus_list":       "1\n",
		nodeDir + "/node1/cpulist":                     "1,3,7\n",
	}, nodeDir+"/node1/cpu5")
	s, err := Read(snap.writeTree(t, t.TempDir()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Topology.All().String(); got != "0-4,6-7" || s.Offline.String() != "5" {
		t.Errorf("got online %s offline %s, want 0-4,6-7 and 5", got, s.Offline)
	}
}

func TestReadTrimsNULPaddingOfCopiedSysfsFiles(t *testing.T) {
	snap := smallXeon().with(map[string]string{cpuDir + "/cpu3/topology/core_id": "2\n\x00\x00\x00"})
	if _, err := Read(snap.writeTree(t, t.TempDir()), Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestReadTakesEitherSiblingList(t *testing.T) {
	for _, drop := range []string{"thread_siblings_list", "core_cpus_list"} {
		files := map[string]string{}
		for id := range 8 {
			files[cpuFile(id, "topology/"+drop)] = ""
		}
		if _, err := Read(smallXeon().with(files).writeTree(t, t.TempDir()), Options{}); err != nil {
			t.Errorf("without %s: %v", drop, err)
		}
	}
}

func TestReadRejectsIncompleteAndInconsistentSnapshots(t *testing.T) {
	topo := func(id int, name string) string { return cpuFile(id, "topology/"+name) }
	cases := []struct {
		name  string
		snap  snapshot
		want  error
		has   string
		setup func(dir string)
	}{
		{"a CPU directory without cpuN entries is incomplete", snapshot{files: map[string]string{cpuDir + "/cpufreq/boost": "1"}}, ErrIncomplete, "no cpuN directories", nil},
		{"a missing core_id is incomplete", smallXeon().with(map[string]string{topo(3, "core_id"): ""}), ErrIncomplete, "cpu3/topology/core_id is missing", nil},
		{"a missing physical_package_id is incomplete", smallXeon().with(map[string]string{topo(6, "physical_package_id"): ""}), ErrIncomplete, "cpu6/topology/physical_package_id is missing", nil},
		{"a CPU without either sibling list is incomplete", smallXeon().with(map[string]string{topo(2, "thread_siblings_list"): "", topo(2, "core_cpus_list"): ""}), ErrIncomplete, "cpu2/topology/thread_siblings_list is missing (and so is core_cpus_list)", nil},
		{"sibling lists that disagree are inconsistent", smallXeon().with(map[string]string{topo(2, "core_cpus_list"): "2"}), ErrInconsistent, "thread_siblings_list is 2,6 but sys/devices/system/cpu/cpu2/topology/core_cpus_list is 2", nil},
		{"a core_id that is not a number is inconsistent", smallXeon().with(map[string]string{topo(1, "core_id"): "five"}), ErrInconsistent, `cpu1/topology/core_id is "five", not a number`, nil},
		{"a socket the kernel does not know is inconsistent", smallXeon().with(map[string]string{topo(0, "physical_package_id"): "-1"}), ErrInconsistent, `cpu0/topology/physical_package_id is "-1"`, nil},
		{"a sibling list that is not a cpulist is inconsistent", smallXeon().with(map[string]string{topo(4, "thread_siblings_list"): "0-", topo(4, "core_cpus_list"): ""}), ErrInconsistent, "cpu4/topology/thread_siblings_list", nil},
		{"siblings with different core ids are inconsistent", smallXeon().with(map[string]string{topo(6, "core_id"): "7"}), ErrInconsistent, "cpu2/topology/thread_siblings_list is 2,6, but the online CPUs with core_id 2 and physical_package_id 0 are 2", nil},
		{"an online file other than 0 or 1 is inconsistent", smallXeon().with(map[string]string{cpuDir + "/cpu7/online": "yes"}), ErrInconsistent, `cpu7/online is "yes", not 0 or 1`, nil},
		{"a host with every CPU offline is inconsistent", allOffline(), ErrInconsistent, "every CPU's", nil},
		{"a host-wide online list that disagrees is inconsistent", smallXeon().with(map[string]string{cpuDir + "/online": "0-6"}), ErrInconsistent, "sys/devices/system/cpu/online is 0-6, but the cpuN/online files make 0-7 online", nil},
		{"a host-wide offline list naming an online CPU is inconsistent", smallXeon().with(map[string]string{cpuDir + "/offline": "3,8-15"}), ErrInconsistent, "sys/devices/system/cpu/offline is 3,8-15, but the cpuN/online files make 3 online", nil},
		{"a CPU id above what Linux supports is inconsistent", smallXeon().with(map[string]string{cpuDir + "/cpu8192/online": "0"}), ErrInconsistent, "cpu8192: ids stop at 8191", nil},
		{"a snapshot without NUMA nodes is incomplete", withoutNodes(), ErrIncomplete, "sys/devices/system/node has no nodeN directories", nil},
		{"a NUMA node without cpulist is incomplete", smallXeon().with(map[string]string{nodeDir + "/node1/cpulist": ""}), ErrIncomplete, "node1/cpulist is missing", nil},
		{"a cpulist that is not a cpulist is inconsistent", smallXeon().with(map[string]string{nodeDir + "/node1/cpulist": "1;3"}), ErrInconsistent, "node1/cpulist", nil},
		{"a CPU on two NUMA nodes is inconsistent", smallXeon().with(map[string]string{nodeDir + "/node1/cpulist": "1,3,5-7"}, nodeDir), ErrInconsistent, "CPU 6 is in both sys/devices/system/node/node0/cpulist and sys/devices/system/node/node1/cpulist", nil},
		{"an online CPU on no NUMA node is incomplete", smallXeon().with(map[string]string{nodeDir + "/node1/cpulist": "1,3,5"}, nodeDir), ErrIncomplete, "CPU 7 is online but in no", nil},
		{"a cpulist naming a CPU the snapshot lacks is inconsistent", smallXeon().with(map[string]string{nodeDir + "/node1/cpulist": "1,3,5,7,9"}), ErrInconsistent, "no sys/devices/system/cpu/cpuN for 9", nil},
		{"node entries that disagree with the cpulist are inconsistent", smallXeon().with(map[string]string{nodeDir + "/node0/cpulist": "0,2,4", nodeDir + "/node1/cpulist": "1,3,5-7"}), ErrInconsistent, "node0 has entries for online CPUs 0,2,4,6, but its cpulist names online CPUs 0,2,4", nil},
		{"a core on two NUMA nodes is inconsistent", smallXeon().with(map[string]string{nodeDir + "/node0/cpulist": "0,2,4", nodeDir + "/node1/cpulist": "1,3,5-7"}, nodeDir), ErrInconsistent, "core 2 of socket 0 is on NUMA nodes 0 and 1", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(c.snap.writeTree(t, t.TempDir()), Options{})
			assertError(t, err, c.want, c.has)
		})
	}
}

func allOffline() snapshot {
	files := map[string]string{}
	for id := range 8 {
		files[cpuFile(id, "online")] = "0"
	}
	return smallXeon().with(files)
}

func withoutNodes() snapshot {
	return smallXeon().with(map[string]string{nodeDir + "/node0/cpulist": "", nodeDir + "/node1/cpulist": ""}, nodeDir)
}

func TestReadRejectsADirectoryThatIsNoSnapshot(t *testing.T) {
	_, err := Read(t.TempDir(), Options{})
	assertError(t, err, ErrNotSnapshot, "it has no sysinfo.tgz, no sys/devices/system/cpu and no nodes/NAME/sysinfo.tgz")
	_, err = Read(filepath.Join(t.TempDir(), "missing"), Options{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want a not-exist error", err)
	}
}

func TestReadRejectsANodeNameForATree(t *testing.T) {
	_, err := Read(smallXeon().writeTree(t, t.TempDir()), Options{Node: "worker-0"})
	assertError(t, err, ErrNode, "this is a sysfs tree")
}

func assertError(t *testing.T, err, want error, has string) {
	t.Helper()
	if !errors.Is(err, want) || !strings.Contains(err.Error(), has) {
		t.Errorf("got error %v\nwant %v containing %q", err, want, has)
	}
}

func TestReadRefusesNamedPipesWithoutBlocking(t *testing.T) {
	dir := smallXeon().with(map[string]string{cpuFile(4, "topology/core_id"): ""}).writeTree(t, t.TempDir())
	if err := syscall.Mkfifo(filepath.Join(dir, filepath.FromSlash(cpuFile(4, "topology/core_id"))), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Read(dir, Options{})
	assertError(t, err, ErrIncomplete, "cpu4/topology/core_id is not a regular file")
	pipe := filepath.Join(t.TempDir(), "sysinfo.tgz")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Read(pipe, Options{})
	assertError(t, err, ErrNotSnapshot, "not a regular file or directory")
}

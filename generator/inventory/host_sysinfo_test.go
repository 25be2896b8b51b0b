package inventory

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/topology"
)

// sysfsFiles is the sysfs snapshot of t, by path: core_id restarts on every
// socket as the kernel numbers it, and CPUs in offline are offline.
func sysfsFiles(t topology.Topology, offline topology.CPUSet) map[string]string {
	files := map[string]string{}
	nodes := map[int][]int{}
	first := map[int]int{} // socket → its lowest host-wide core id
	for _, c := range t.Cores() {
		if _, ok := first[c.Socket]; !ok {
			first[c.Socket] = c.ID
		}
	}
	for _, c := range t.CPUs {
		dir := fmt.Sprintf("sys/devices/system/cpu/cpu%d/", c.ID)
		files[dir+"topology/core_id"] = fmt.Sprintf("%d\n", c.Core-first[c.Socket])
		files[dir+"topology/physical_package_id"] = fmt.Sprintf("%d\n", c.Socket)
		files[dir+"topology/thread_siblings_list"] = t.Siblings(c.ID).String() + "\n"
		files[dir+"online"] = "1\n"
		if offline.Contains(c.ID) {
			files[dir+"online"] = "0\n"
		}
		nodes[c.Node] = append(nodes[c.Node], c.ID)
	}
	for n, ids := range nodes {
		files[fmt.Sprintf("sys/devices/system/node/node%d/cpulist", n)] = topology.NewCPUSet(ids...).String() + "\n"
	}
	return files
}

func writeSysfsTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func writeSysinfoTgz(t *testing.T, path string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for name, content := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(content))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// loadWithTopology loads validInventory (a c5.metal pool reserving 4 CPUs)
// with topology set to the flow mapping given and tuning lines added, from
// dir.
func loadWithTopology(t *testing.T, dir, topo string, tuning ...string) (*Inventory, error) {
	t.Helper()
	inv := replace("      tuning:\n", "      topology: "+topo+"\n      tuning:\n")(validInventory) + strings.Join(tuning, "")
	path := filepath.Join(dir, "inv.yaml")
	if err := os.WriteFile(path, []byte(inv), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(path)
}

func c5Topology(t *testing.T) topology.Topology {
	it, err := catalog.Lookup("c5.metal")
	if err != nil {
		t.Fatal(err)
	}
	return it.Topology()
}

func TestLoadReadsASysfsSnapshotRelativeToTheInventory(t *testing.T) {
	dir := t.TempDir()
	// core_id runs backwards on each socket: CPUs 23 and 71 are core 0 of
	// socket 0, so PPC offlines CPU 71 first; the catalog's layout would
	// offline CPU 50.
	files := sysfsFiles(c5Topology(t), topology.CPUSet{})
	for _, c := range c5Topology(t).CPUs {
		files[fmt.Sprintf("sys/devices/system/cpu/cpu%d/topology/core_id", c.ID)] = fmt.Sprintf("%d\n", 23-c.Core%24)
	}
	writeSysfsTree(t, filepath.Join(dir, "worker-0"), files)
	inv, err := loadWithTopology(t, dir, "{sysinfo: worker-0}", "        offlinedCPUs: 1\n")
	if err != nil {
		t.Fatal(err)
	}
	p := inv.Spec.Clusters[0].NodePools[0].Host().Partition
	if p.Reserved.String() != "0-1,48-49" || p.Offlined.String() != "71" {
		t.Errorf("reserved %s offlined %s, want 0-1,48-49 and 71", p.Reserved, p.Offlined)
	}
	// Its core ids are host-wide, so it can be copied as an lscpu capture.
	var lscpu bytes.Buffer
	if err := topology.WriteLscpu(&lscpu, inv.Spec.Clusters[0].NodePools[0].Host().Topology); err != nil {
		t.Fatal(err)
	}
	if _, err := topology.ParseLscpu(&lscpu); err != nil {
		t.Errorf("the pool's topology does not read back as an lscpu capture: %v", err)
	}
}

func TestLoadReadsANodeOfAMustGather(t *testing.T) {
	dir := t.TempDir()
	writeSysinfoTgz(t, filepath.Join(dir, "must-gather", "image", "nodes", "worker-0", "sysinfo.tgz"), sysfsFiles(c5Topology(t), topology.CPUSet{}))
	inv, err := loadWithTopology(t, dir, "{sysinfo: must-gather, node: worker-0}")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(inv.Spec.Clusters[0].NodePools[0].Host().Topology.CPUs); n != 96 {
		t.Errorf("got %d CPUs, want 96", n)
	}
}

func TestLoadRejectsSysinfoSnapshotsThatCannotBeTheHost(t *testing.T) {
	const p = "spec.clusters[0].nodePools[0].topology.sysinfo"
	dir := t.TempDir()
	writeSysfsTree(t, filepath.Join(dir, "tuned"), sysfsFiles(c5Topology(t), topology.NewCPUSet(50, 51)))
	writeSysfsTree(t, filepath.Join(dir, "small"), sysfsFiles(topology.Uniform(2, 2, 2), topology.CPUSet{}))
	writeSysfsTree(t, filepath.Join(dir, "broken"), map[string]string{"sys/devices/system/cpu/cpu0/online": "1\n"})
	cases := []struct {
		name, topo, has string
	}{
		{"lscpu and sysinfo together are refused", "{lscpu: c5.lscpu, sysinfo: small}", "give lscpu or sysinfo, not both"},
		{"a node without sysinfo is refused", "{node: worker-0}", "node names a node of the must-gather that sysinfo names"},
		{"a missing snapshot is reported", "{sysinfo: missing}", "no such file"},
		{"a node name for a sysfs tree is refused", "{sysinfo: small, node: worker-0}", "a node name selects a node of a must-gather directory"},
		{"a snapshot of a tuned node with offline CPUs is refused", "{sysinfo: tuned}", "CPUs 50-51 were offline when the snapshot was taken"},
		{"a snapshot of another instance type is refused", "{sysinfo: small}", "has 8 CPUs but c5.metal has 96"},
		{"an incomplete snapshot names the missing file", "{sysinfo: broken}", "sys/devices/system/cpu/cpu0/topology/core_id is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadWithTopology(t, dir, c.topo)
			assertProblems(t, err, []problem{{16, p, c.has}})
		})
	}
}

package inventory

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/topology"
)

// KubeletReservedMiB is the memory kubelet reserves for the system on NUMA
// node 0 of a tuned node (OpenShift puts reservedMemory on node 0 only, about
// 1100Mi by default). Hugepages on node 0 must leave it free.
const KubeletReservedMiB = 1100

var hugepageMiB = map[string]int64{"1G": 1024, "2M": 2}

// resolveHost looks up the pool's instance type, reads its topology override,
// partitions its CPUs and checks its hugepages fit. Problems are reported on
// the field a user would change.
func resolveHost(np *NodePool, baseDir string, p *field.Path, partition bool) (*Host, field.ErrorList) {
	it, err := catalog.Lookup(np.InstanceType)
	if err != nil {
		return nil, fieldErr(field.Invalid(p.Child("instanceType"), np.InstanceType, err.Error()))
	}
	tp := p.Child("tuning")
	req, reqErr := partitionRequest(&np.Tuning)
	key, keyed := hostKey(np, it, baseDir, req)
	if keyed && reqErr == nil && partition {
		if h, ok := hosts.Load(key); ok {
			host := h.(*Host)
			return host, checkMemory(host, np.Tuning.Hugepages, tp.Child("hugepages"))
		}
	}
	topo, errs := poolTopology(np, it, baseDir, p.Child("topology"))
	if len(errs) > 0 || !partition {
		return nil, errs
	}
	if reqErr != nil {
		return nil, fieldErr(field.Invalid(tp.Child("reservedCPUs"), np.Tuning.ReservedCPUs.Set, reqErr.Error()))
	}
	part, err := topology.Split(topo, req)
	if err != nil {
		return nil, fieldErr(field.Invalid(tp.Child("reservedCPUs"), np.Tuning.ReservedCPUs.String(), err.Error()))
	}
	host := &Host{InstanceType: it, Topology: topo, Partition: part}
	if keyed {
		hosts.Store(key, host)
	}
	return host, checkMemory(host, np.Tuning.Hugepages, tp.Child("hugepages"))
}

// hosts shares one resolved host between the pools that resolve to the
// same one — a fleet's clusters mostly repeat a few pool shapes — so a
// fleet's memory and load time grow with its shapes rather than its pools.
// Hosts are never modified once resolved.
var hosts sync.Map

// hostKey names what a pool's host is resolved from: the instance type,
// the topology capture (by absolute path, size and modification time, so
// an edited capture is read again) and the partition request. ok is false
// when the capture cannot be looked at; the pool is then resolved as usual
// and reports why.
func hostKey(np *NodePool, it catalog.InstanceType, baseDir string, req topology.Request) (string, bool) {
	key := fmt.Sprintf("%s|%+v", it.Name, req)
	src := np.Topology
	if src == nil || *src == (TopologySource{}) {
		return key, true
	}
	path := src.LSCPU
	if path == "" {
		path = src.Sysinfo
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(baseDir, path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false
	}
	info, err := os.Stat(abs)
	if err != nil || !info.Mode().IsRegular() {
		return "", false
	}
	return fmt.Sprintf("%s|%t|%s|%s|%d|%d", key, src.LSCPU != "", src.Node, abs, info.Size(), info.ModTime().UnixNano()), true
}

// poolTopology is the topology of the pool's hosts: the capture its
// topology field names, else the layout the catalog assumes.
func poolTopology(np *NodePool, it catalog.InstanceType, baseDir string, p *field.Path) (topology.Topology, field.ErrorList) {
	src := np.Topology
	switch {
	case src == nil || *src == (TopologySource{}):
		return it.Topology(), nil
	case src.Sysinfo != "" || src.Node != "":
		return sysinfoTopology(src, it, baseDir, p)
	}
	p = p.Child("lscpu")
	path := np.Topology.LSCPU
	if !filepath.IsAbs(path) {
		path = filepath.Join(baseDir, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return topology.Topology{}, fieldErr(field.Invalid(p, np.Topology.LSCPU, err.Error()))
	}
	defer f.Close()
	topo, err := topology.ParseLscpu(f)
	if err != nil {
		return topology.Topology{}, fieldErr(field.Invalid(p, np.Topology.LSCPU, err.Error()))
	}
	if len(topo.CPUs) != it.VCPUs {
		return topology.Topology{}, fieldErr(field.Invalid(p, np.Topology.LSCPU,
			fmt.Sprintf("has %d CPUs but %s has %d; is it a capture of another instance type?", len(topo.CPUs), it.Name, it.VCPUs)))
	}
	return topo, nil
}

func partitionRequest(t *Tuning) (topology.Request, error) {
	r := topology.Request{
		Reserved:             t.ReservedCPUs.Count,
		SplitAcrossNUMA:      t.SplitReservedAcrossNUMA,
		Offlined:             t.OfflinedCPUs,
		DisableHT:            !*t.SMT,
		HighPowerConsumption: t.WorkloadHints.HighPowerConsumption,
	}
	if !t.ReservedCPUs.IsSet() {
		return r, nil
	}
	set, err := topology.ParseCPUSet(t.ReservedCPUs.Set)
	r.ReservedSet = set
	return r, err
}

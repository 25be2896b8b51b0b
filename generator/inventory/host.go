package inventory

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/host"
	"github.com/lowlat/lowlat/generator/topology"
)

// KubeletReservedMiB is the memory kubelet reserves for the system on NUMA
// node 0 of a tuned node (OpenShift puts reservedMemory on node 0 only, about
// 1100Mi by default). Hugepages on node 0 must leave it free.
const KubeletReservedMiB = 1100

var hugepageMiB = map[string]int64{"1G": 1024, "2M": 2}

// HugepageBytes is the size of one hugepage of a PerformanceProfile page
// size (1G, 2M); 0 for another.
func HugepageBytes(size string) int64 { return hugepageMiB[size] << 20 }

// HugepageResource is the node resource that pages of a PerformanceProfile
// page size appear as: hugepages-1Gi for 1G; "" for another size.
func HugepageResource(size string) string {
	for k8s, profile := range ProfilePageSize {
		if profile == size {
			return "hugepages-" + k8s
		}
	}
	return ""
}

// resolveHost looks up the pool's instance type, reads its topology override,
// partitions its CPUs and checks its hugepages fit. Problems are reported on
// the field a user would change.
func resolveHost(np *NodePool, files host.Files, p *field.Path, partition bool) (*Host, field.ErrorList) {
	it, err := catalog.Lookup(np.InstanceType)
	if err != nil {
		return nil, fieldErr(field.Invalid(p.Child("instanceType"), np.InstanceType, err.Error()))
	}
	tp := p.Child("tuning")
	req, reqErr := partitioning(&np.Tuning).Request()
	key, keyed := hostKey(np.Topology, it, files, req)
	if keyed && reqErr == nil && partition {
		if h, ok := hosts.Load(key); ok {
			h := h.(*Host)
			return h, checkMemory(h, np.Tuning.Hugepages, tp.Child("hugepages"))
		}
	}
	topo, errs := poolTopology(np.Topology, it, files, p.Child("topology"))
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
	h := &Host{InstanceType: it, Topology: topo, Partition: part}
	if keyed {
		hosts.Store(key, h)
	}
	return h, checkMemory(h, np.Tuning.Hugepages, tp.Child("hugepages"))
}

// hosts shares one resolved host between the pools that resolve to the
// same one — a fleet's clusters mostly repeat a few pool shapes — so a
// fleet's memory and load time grow with its shapes rather than its pools.
// Hosts are never modified once resolved.
var hosts sync.Map

// hostKey names what a pool's host is resolved from: the instance type,
// the partition request and, for a capture on disk, its path, size and
// modification time (an edited capture is read again). ok is false when
// the capture cannot be told apart from another one by those (it is not on
// disk, or cannot be looked at); the pool is then resolved from scratch.
func hostKey(src *TopologySource, it catalog.InstanceType, files host.Files, req topology.Request) (string, bool) {
	key := fmt.Sprintf("%s|%+v", it.Name, req)
	if src == nil || *src == (TopologySource{}) {
		return key, true
	}
	name := src.LSCPU
	if name == "" {
		name = src.Sysinfo
	}
	abs, ok := files.DiskPath(name)
	if !ok {
		return "", false
	}
	info, err := os.Stat(abs)
	if err != nil || !info.Mode().IsRegular() {
		return "", false
	}
	return fmt.Sprintf("%s|%t|%s|%s|%d|%d", key, src.LSCPU != "", src.Node, abs, info.Size(), info.ModTime().UnixNano()), true
}

// poolTopology is the topology of the pool's hosts: the capture its
// topology field (p) names, else the layout the catalog assumes.
func poolTopology(src *TopologySource, it catalog.InstanceType, files host.Files, p *field.Path) (topology.Topology, field.ErrorList) {
	var (
		h     host.Host
		err   error
		value string
	)
	switch {
	case src == nil || *src == (TopologySource{}):
		h = host.FromCatalog(it)
	case src.Sysinfo == "" && src.Node != "":
		return topology.Topology{}, fieldErr(field.Required(p.Child("sysinfo"), "node names a node of the must-gather that sysinfo names"))
	case src.Sysinfo != "" && src.LSCPU != "":
		return topology.Topology{}, fieldErr(field.Forbidden(p.Child("sysinfo"), "give lscpu or sysinfo, not both"))
	case src.Sysinfo != "":
		p, value = p.Child("sysinfo"), src.Sysinfo
		h, err = host.ReadSysinfo(files, src.Sysinfo, src.Node)
	default:
		p, value = p.Child("lscpu"), src.LSCPU
		h, err = host.ReadLscpu(files, src.LSCPU)
	}
	var topo topology.Topology
	if err == nil {
		topo, err = h.For(it)
	}
	if err != nil {
		return topology.Topology{}, fieldErr(field.Invalid(p, value, reason(err)))
	}
	return topo, nil
}

// reason is why a capture is refused, without its name when it does not
// parse: the field's value names it already.
func reason(err error) string {
	var ce *host.CaptureError
	if errors.As(err, &ce) {
		return ce.Err.Error()
	}
	return err.Error()
}

// partitioning is a pool's tuning in the partitioner's terms.
func partitioning(t *Tuning) host.Partitioning {
	p := host.Partitioning{
		Reserved:             t.ReservedCPUs.Count,
		SplitAcrossNUMA:      t.SplitReservedAcrossNUMA,
		Offlined:             t.OfflinedCPUs,
		DisableHT:            !*t.SMT,
		HighPowerConsumption: t.WorkloadHints.HighPowerConsumption,
	}
	if t.ReservedCPUs.IsSet() {
		p.ReservedSet = t.ReservedCPUs.Set
	}
	return p
}

package inventory

import (
	"fmt"
	"path/filepath"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/topology"
	"github.com/lowlat/lowlat/generator/topology/sysinfo"
)

// sysinfoTopology reads a pool's topology.sysinfo snapshot (p is the
// topology field). The snapshot must show every CPU of the instance type
// online: a partition computed without the CPUs a tuned node already keeps
// offline (nosmt, spec.cpu.offlined) would leave them out of every set.
func sysinfoTopology(src *TopologySource, it catalog.InstanceType, baseDir string, p *field.Path) (topology.Topology, field.ErrorList) {
	sp := p.Child("sysinfo")
	switch {
	case src.Sysinfo == "":
		return topology.Topology{}, fieldErr(field.Required(sp, "node names a node of the must-gather that sysinfo names"))
	case src.LSCPU != "":
		return topology.Topology{}, fieldErr(field.Forbidden(sp, "give lscpu or sysinfo, not both"))
	}
	path := src.Sysinfo
	if !filepath.IsAbs(path) {
		path = filepath.Join(baseDir, path)
	}
	s, err := sysinfo.Read(path, sysinfo.Options{Node: src.Node})
	if err != nil {
		return topology.Topology{}, fieldErr(field.Invalid(sp, src.Sysinfo, err.Error()))
	}
	if !s.Offline.IsEmpty() {
		return topology.Topology{}, fieldErr(field.Invalid(sp, src.Sysinfo, fmt.Sprintf(
			"CPUs %s were offline when the snapshot was taken (nosmt or an offlining profile?); take it on a node that is not tuned yet", s.Offline)))
	}
	if len(s.Topology.CPUs) != it.VCPUs {
		return topology.Topology{}, fieldErr(field.Invalid(sp, src.Sysinfo,
			fmt.Sprintf("has %d CPUs but %s has %d; is it a snapshot of another instance type?", len(s.Topology.CPUs), it.Name, it.VCPUs)))
	}
	// Host-wide core numbers in core_id order partition exactly as the
	// snapshot does, and let the topology be written as an lscpu capture,
	// whose Core column cannot repeat a number on two sockets.
	return sysinfo.HostWideCores(s.Topology), nil
}

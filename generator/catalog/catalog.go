package catalog

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lowlat/lowlat/generator/topology"
)

// ErrUnknownInstanceType is wrapped by Lookup for a type not in the table.
var ErrUnknownInstanceType = errors.New("unknown instance type")

// metalCSV is the one table of instance facts; its header says where they
// come from.
//
//go:embed metal.csv
var metalCSV string

// table is parsed once; the table is compiled in and its tests parse it, so
// a broken row can only be a build that never passed them.
var table = mustParse(metalCSV)

// InstanceType is one EC2 metal instance type.
type InstanceType struct {
	Name           string
	VCPUs          int
	Cores          int
	ThreadsPerCore int
	Sockets        int
	MemoryGiB      int
	NetworkGbps    float64
	NetworkCards   int
	MaxENIs        int // network interfaces over all cards
	EFA            bool
	// NVMeDisks local NVMe SSDs of NVMeDiskGB each form the instance
	// store; 0 for an EBS-only type.
	NVMeDisks  int
	NVMeDiskGB int
	// ENAExpress: the type supports ENA Express (SRD) on its ENIs.
	ENAExpress bool
}

// LocalNVMe reports whether the type has an instance store of NVMe SSDs.
func (it InstanceType) LocalNVMe() bool { return it.NVMeDisks > 0 }

// Lookup returns the instance type called name, e.g. "c5.metal".
func Lookup(name string) (InstanceType, error) {
	i, found := slices.BinarySearchFunc(table, name, func(it InstanceType, n string) int { return strings.Compare(it.Name, n) })
	if !found {
		return InstanceType{}, fmt.Errorf("%w %q; known types: %s", ErrUnknownInstanceType, name, strings.Join(Names(), ", "))
	}
	return table[i], nil
}

// Names returns every known instance type name, sorted.
func Names() []string {
	names := make([]string, len(table))
	for i, it := range table {
		names[i] = it.Name
	}
	return names
}

// All returns every known instance type, sorted by name.
func All() []InstanceType { return slices.Clone(table) }

// CoresPerSocket is the number of physical cores on each socket; 0 for the
// zero InstanceType.
func (it InstanceType) CoresPerSocket() int {
	if it.Sockets == 0 {
		return 0
	}
	return it.Cores / it.Sockets
}

// NUMANodes is the number of NUMA nodes: one per socket, the usual BIOS
// setting on metal.
func (it InstanceType) NUMANodes() int { return it.Sockets }

// MemoryPerNUMAMiB is the memory of one NUMA node, assuming memory is spread
// evenly over the nodes as it is on these metal hosts; 0 for the zero
// InstanceType.
func (it InstanceType) MemoryPerNUMAMiB() int64 {
	if it.NUMANodes() == 0 {
		return 0
	}
	return int64(it.MemoryGiB) * 1024 / int64(it.NUMANodes())
}

// Topology is the CPU layout the catalog assumes for the type: the numbering
// Linux gives EC2 Intel metal (topology.Uniform). A node's lscpu capture is
// the authoritative override. The zero InstanceType has the empty Topology.
func (it InstanceType) Topology() topology.Topology {
	return topology.Uniform(it.Sockets, it.CoresPerSocket(), it.ThreadsPerCore)
}

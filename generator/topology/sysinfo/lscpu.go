package sysinfo

import (
	"fmt"
	"io"

	"github.com/lowlat/lowlat/generator/topology"
)

// HostWideCores renumbers t's cores 0, 1, 2, ... across the host, socket by
// socket in id order and, inside a socket, in core id order: the order
// Topology.Cores already walks. The result has the core ids an lscpu
// capture needs (unique across sockets) and offlines exactly as t does;
// what it loses is the sysfs core_id values themselves.
func HostWideCores(t topology.Topology) topology.Topology {
	type key struct{ socket, core int }
	number := map[key]int{}
	for i, c := range t.Cores() {
		number[key{c.Socket, c.ID}] = i
	}
	cpus := make([]topology.CPU, len(t.CPUs))
	for i, c := range t.CPUs {
		c.Core = number[key{c.Socket, c.Core}]
		cpus[i] = c
	}
	return topology.Topology{CPUs: cpus}
}

// WriteLscpu writes s's online CPUs in the form of
// `lscpu -p=CPU,CORE,SOCKET,NODE`, for an inventory's topology.lscpu, with
// HostWideCores' core numbers. lscpu itself numbers cores in the order their
// first CPU appears, which hides sysfs core_id; these numbers keep its
// order inside each socket instead, so that topology.ParseLscpu reads back a
// host that partitions exactly as the snapshot does, offlining included.
func WriteLscpu(w io.Writer, s Snapshot) error {
	if _, err := fmt.Fprintf(w, "# Host %s, imported by lowlat from the sysfs snapshot\n#   %s\n"+
		"# Core numbers run across the host socket by socket in the order of sysfs\n"+
		"# core_id (not in CPU order, as lscpu's do), so that offlining follows the\n"+
		"# Performance Profile Creator's order; the core_id values are not kept.\n",
		s.Name(), s.Source); err != nil {
		return err
	}
	if !s.Offline.IsEmpty() {
		if _, err := fmt.Fprintf(w, "# CPUs %s were offline in the snapshot and are not listed.\n", s.Offline); err != nil {
			return err
		}
	}
	return topology.WriteLscpu(w, HostWideCores(s.Topology))
}

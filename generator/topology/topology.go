package topology

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// ErrInvalidTopology is wrapped by every Validate error.
var ErrInvalidTopology = errors.New("invalid topology")

// CPU is one logical processor (LP) as the kernel numbers it.
type CPU struct {
	ID     int // logical CPU number (cpuN)
	Core   int // core id; unique together with Socket
	Socket int // physical package id
	Node   int // NUMA node
}

// Topology is every logical processor of one host, sorted by ID.
type Topology struct {
	CPUs []CPU
}

// Core is one physical core: the logical processors that share it.
type Core struct {
	Socket int
	ID     int
	Node   int
	CPUs   []int // ascending; the first is the thread --disable-ht keeps
}

// coreKey identifies a core. Core ids are only unique within a socket: sysfs
// core_id restarts at 0 on every package.
type coreKey struct{ socket, core int }

// Validate reports the first way t breaks its invariants: at least one and at
// most MaxCPUs CPUs, sorted by strictly increasing ID in [0, MaxCPUs),
// non-negative core, socket and node ids, and every core on one NUMA node.
func (t Topology) Validate() error {
	if len(t.CPUs) == 0 {
		return fmt.Errorf("%w: no CPUs", ErrInvalidTopology)
	}
	if len(t.CPUs) > MaxCPUs {
		return fmt.Errorf("%w: %d CPUs, more than the %d Linux supports", ErrInvalidTopology, len(t.CPUs), MaxCPUs)
	}
	nodeOf := make(map[coreKey]int)
	for i, c := range t.CPUs {
		if err := c.validate(); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidTopology, err)
		}
		if i > 0 && c.ID <= t.CPUs[i-1].ID {
			return fmt.Errorf("%w: CPU %d follows CPU %d; CPUs must be sorted by id and listed once", ErrInvalidTopology, c.ID, t.CPUs[i-1].ID)
		}
		k := coreKey{c.Socket, c.Core}
		if n, ok := nodeOf[k]; ok && n != c.Node {
			return fmt.Errorf("%w: core %d of socket %d is on NUMA nodes %d and %d", ErrInvalidTopology, c.Core, c.Socket, n, c.Node)
		}
		nodeOf[k] = c.Node
	}
	return nil
}

func (c CPU) validate() error {
	switch {
	case c.ID < 0 || c.ID >= MaxCPUs:
		return fmt.Errorf("CPU id %d is outside 0-%d", c.ID, MaxCPUs-1)
	case c.Core < 0 || c.Socket < 0 || c.Node < 0:
		return fmt.Errorf("CPU %d has a negative core, socket or node id", c.ID)
	}
	return nil
}

// All returns every CPU of the host.
func (t Topology) All() CPUSet {
	return t.selectCPUs(func(CPU) bool { return true })
}

// NodeCPUs returns the CPUs of one NUMA node.
func (t Topology) NodeCPUs(node int) CPUSet {
	return t.selectCPUs(func(c CPU) bool { return c.Node == node })
}

// SocketCPUs returns the CPUs of one socket.
func (t Topology) SocketCPUs(socket int) CPUSet {
	return t.selectCPUs(func(c CPU) bool { return c.Socket == socket })
}

func (t Topology) selectCPUs(keep func(CPU) bool) CPUSet {
	var ids []int
	for _, c := range t.CPUs {
		if keep(c) {
			ids = append(ids, c.ID)
		}
	}
	return NewCPUSet(ids...)
}

// Nodes returns the NUMA node ids, ascending.
func (t Topology) Nodes() []int { return t.distinct(func(c CPU) int { return c.Node }) }

// Sockets returns the socket (physical package) ids, ascending.
func (t Topology) Sockets() []int { return t.distinct(func(c CPU) int { return c.Socket }) }

func (t Topology) distinct(field func(CPU) int) []int {
	var out []int
	for _, c := range t.CPUs {
		out = append(out, field(c))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Cores returns every core ordered by socket, then core id: the order in
// which PPC offlines (ghw lists a socket's cores by core id).
func (t Topology) Cores() []Core {
	byKey := make(map[coreKey]*Core)
	var cores []*Core
	for _, c := range t.CPUs {
		k := coreKey{c.Socket, c.Core}
		if byKey[k] == nil {
			byKey[k] = &Core{Socket: c.Socket, ID: c.Core, Node: c.Node}
			cores = append(cores, byKey[k])
		}
		byKey[k].CPUs = append(byKey[k].CPUs, c.ID) // ascending: t.CPUs is sorted
	}
	out := make([]Core, len(cores))
	for i, c := range cores {
		out[i] = *c
	}
	slices.SortFunc(out, func(a, b Core) int {
		return cmp.Or(cmp.Compare(a.Socket, b.Socket), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// NodeCores returns the cores of one NUMA node ordered by their lowest CPU:
// the order in which PPC reserves (it sorts a node's cores that way).
func (t Topology) NodeCores(node int) []Core {
	var out []Core
	for _, c := range t.Cores() {
		if c.Node == node {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b Core) int { return cmp.Compare(a.CPUs[0], b.CPUs[0]) })
	return out
}

// SMT reports whether simultaneous multithreading (hyper-threading) is on:
// some core has more than one logical processor.
func (t Topology) SMT() bool { return t.ThreadsPerCore() > 1 }

// ThreadsPerCore returns the most logical processors any core has.
func (t Topology) ThreadsPerCore() int {
	most := 0
	for _, c := range t.Cores() {
		most = max(most, len(c.CPUs))
	}
	return most
}

// Siblings returns the CPUs that share a core with cpu, cpu included; the
// empty set when the host has no such CPU.
func (t Topology) Siblings(cpu int) CPUSet {
	i, found := slices.BinarySearchFunc(t.CPUs, cpu, func(c CPU, id int) int { return cmp.Compare(c.ID, id) })
	if !found {
		return CPUSet{}
	}
	k := coreKey{t.CPUs[i].Socket, t.CPUs[i].Core}
	return t.selectCPUs(func(c CPU) bool { return coreKey{c.Socket, c.Core} == k })
}

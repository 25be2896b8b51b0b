package host

import (
	"fmt"
	"io"
	"io/fs"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/topology"
	"github.com/lowlat/lowlat/generator/topology/sysinfo"
)

// Input says which kind of source a Host was read from.
type Input string

// The inputs a host comes from.
const (
	Sysfs   Input = "sysfs"
	Lscpu   Input = "lscpu"
	Catalog Input = "catalog"
)

// Host is one machine's CPU layout as lowlat read it.
type Host struct {
	// Name is what messages call the host: its must-gather node, the
	// capture's path, "standard input", or the instance type.
	Name string
	// Input is the kind of source; Source is the file or directory read,
	// or "the catalog's assumed layout".
	Input  Input
	Source string
	// Topology holds the host's online CPUs.
	Topology topology.Topology
	// Snapshot is what a sysfs snapshot said; nil for other inputs.
	Snapshot *sysinfo.Snapshot
}

// CaptureError is a capture that was read but does not parse. Its message
// starts with the capture's name; Err alone is the reason, for a caller
// whose message names the file already.
type CaptureError struct {
	Name string
	Err  error
}

func (e *CaptureError) Error() string { return e.Name + ": " + e.Err.Error() }
func (e *CaptureError) Unwrap() error { return e.Err }

// FromCatalog is the layout the catalog assumes for an instance type.
func FromCatalog(it catalog.InstanceType) Host {
	return Host{Name: it.Name, Input: Catalog, Source: "the catalog's assumed layout", Topology: it.Topology()}
}

// LookupCatalog is FromCatalog for an instance type named by the user.
func LookupCatalog(instanceType string) (Host, error) {
	it, err := catalog.Lookup(instanceType)
	if err != nil {
		return Host{}, err
	}
	return FromCatalog(it), nil
}

// ReadLscpu reads an lscpu capture named relative to files. A file that is
// neither regular nor a directory (a named pipe) is refused before it is
// opened: opening one would block.
func ReadLscpu(files Files, name string) (Host, error) {
	p := files.Path(name)
	if fi, err := fs.Stat(files.fsys(), p); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return Host{}, fmt.Errorf("%s: not a regular file", p)
	}
	f, err := files.fsys().Open(p)
	if err != nil {
		return Host{}, err
	}
	defer f.Close()
	return ParseLscpu(f, p)
}

// ParseLscpu reads an lscpu capture from r, such as standard input; name
// names it in messages.
func ParseLscpu(r io.Reader, name string) (Host, error) {
	topo, err := topology.ParseLscpu(r)
	if err != nil {
		return Host{}, &CaptureError{Name: name, Err: err}
	}
	return Host{Name: name, Input: Lscpu, Source: name, Topology: topo}, nil
}

// ReadSysinfo reads a sysfs snapshot named relative to files, node naming
// the node when it is a must-gather directory (see sysinfo.Read).
func ReadSysinfo(files Files, name, node string) (Host, error) {
	s, err := sysinfo.ReadFS(files.fsys(), files.Path(name), sysinfo.Options{Node: node})
	return Host{Name: s.Name(), Input: Sysfs, Source: s.Source, Topology: s.Topology, Snapshot: &s}, err
}

// Offline is the CPUs a snapshot saw offline; empty for other inputs.
func (h Host) Offline() topology.CPUSet {
	if h.Snapshot == nil {
		return topology.CPUSet{}
	}
	return h.Snapshot.Offline
}

// WriteLscpu writes the host as `lscpu -p=CPU,CORE,SOCKET,NODE` output, the
// form of an inventory's topology.lscpu.
func (h Host) WriteLscpu(w io.Writer) error {
	switch h.Input {
	case Sysfs:
		return sysinfo.WriteLscpu(w, *h.Snapshot)
	case Catalog:
		if _, err := fmt.Fprintf(w, "# %s as lowlat's catalog assumes it.\n", h.Name); err != nil {
			return err
		}
	}
	return topology.WriteLscpu(w, h.Topology)
}

// For is the topology to partition the host by when it stands for the hosts
// of an instance type: a capture must have the type's CPU count, and a snapshot must show
// every CPU online (a partition computed without the CPUs a tuned node
// already keeps offline, by nosmt or spec.cpu.offlined, would leave them
// out of every set). A snapshot's cores are renumbered host-wide in
// core_id order, which partitions exactly as the snapshot does and can be
// written as an lscpu capture, whose Core column cannot repeat a number on
// two sockets.
func (h Host) For(it catalog.InstanceType) (topology.Topology, error) {
	noun := "capture"
	if h.Input == Sysfs {
		noun = "snapshot"
		if off := h.Offline(); !off.IsEmpty() {
			return topology.Topology{}, fmt.Errorf(
				"CPUs %s were offline when the snapshot was taken (nosmt or an offlining profile?); take it on a node that is not tuned yet", off)
		}
	}
	if n := len(h.Topology.CPUs); n != it.VCPUs {
		return topology.Topology{}, fmt.Errorf("has %d CPUs but %s has %d; is it a %s of another instance type?", n, it.Name, it.VCPUs, noun)
	}
	if h.Input == Sysfs {
		return sysinfo.HostWideCores(h.Topology), nil
	}
	return h.Topology, nil
}

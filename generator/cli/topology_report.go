package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/lowlat/lowlat/generator/host"
	"github.com/lowlat/lowlat/generator/topology"
)

// topologyReport is `lowlat topology -o json`: what was read, in the terms
// of the Performance Profile Creator's info mode (CPU count, SMT, the CPUs
// of each NUMA node) plus sockets and cores.
type topologyReport struct {
	Host   string `json:"host"`
	Input  string `json:"input"` // sysfs, lscpu or catalog
	Source string `json:"source"`
	// PhysicalCoreIDs says the core ids are sysfs core_id, so offlining
	// follows PPC's order.
	PhysicalCoreIDs bool           `json:"physicalCoreIDs"`
	CPUs            int            `json:"cpus"`
	Offline         string         `json:"offline,omitempty"`
	SMT             bool           `json:"smt"`
	ThreadsPerCore  int            `json:"threadsPerCore"`
	Sockets         []cpuGroup     `json:"sockets"`
	NUMANodes       []cpuGroup     `json:"numaNodes"`
	Cores           []coreReport   `json:"cores"`
	Catalog         *catalogReport `json:"catalog,omitempty"`
}

// cpuGroup is a socket or a NUMA node.
type cpuGroup struct {
	ID    int    `json:"id"`
	Cores int    `json:"cores"`
	CPUs  string `json:"cpus"`
	// Others are the NUMA nodes of a socket, or the sockets of a NUMA node.
	Others []int `json:"-"`
}

// coreReport is one core, in the order PPC offlines: socket, then core id.
type coreReport struct {
	Socket int    `json:"socket"`
	ID     int    `json:"id"`
	Node   int    `json:"node"`
	CPUs   string `json:"cpus"`
}

func newTopologyReport(h host.Host) topologyReport {
	t := h.Topology
	rep := topologyReport{
		Host: h.Name, Input: string(h.Input), Source: h.Source, PhysicalCoreIDs: h.Input == host.Sysfs,
		CPUs: len(t.CPUs), Offline: h.Offline().String(), SMT: t.SMT(), ThreadsPerCore: t.ThreadsPerCore(),
	}
	cores := t.Cores()
	for _, c := range cores {
		rep.Cores = append(rep.Cores, coreReport{Socket: c.Socket, ID: c.ID, Node: c.Node, CPUs: topology.NewCPUSet(c.CPUs...).String()})
	}
	rep.Sockets = groupsOf(cores, func(c topology.Core) (int, int) { return c.Socket, c.Node })
	rep.NUMANodes = groupsOf(cores, func(c topology.Core) (int, int) { return c.Node, c.Socket })
	return rep
}

// groupsOf groups cores by the first id key returns, ascending, noting the
// second.
func groupsOf(cores []topology.Core, key func(topology.Core) (int, int)) []cpuGroup {
	byID := map[int]*cpuGroup{}
	var cpus = map[int][]int{}
	for _, c := range cores {
		id, other := key(c)
		if byID[id] == nil {
			byID[id] = &cpuGroup{ID: id}
		}
		g := byID[id]
		g.Cores++
		if !slices.Contains(g.Others, other) {
			g.Others = append(g.Others, other)
		}
		cpus[id] = append(cpus[id], c.CPUs...)
	}
	var out []cpuGroup
	for id, g := range byID {
		g.CPUs = topology.NewCPUSet(cpus[id]...).String()
		slices.Sort(g.Others)
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b cpuGroup) int { return a.ID - b.ID })
	return out
}

func (r topologyReport) print(w io.Writer, format string) error {
	if format == "json" {
		data, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", data)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	r.printSummary(tw)
	r.printGroups(tw)
	r.printCores(tw)
	if r.Catalog != nil {
		r.Catalog.print(tw)
	}
	return tw.Flush()
}

// coreIDNotes say what the core ids of each input are worth.
var coreIDNotes = map[string]string{
	string(host.Sysfs):   "sysfs core_id: offlining follows the Performance Profile Creator's order",
	string(host.Lscpu):   "lscpu's, numbered in CPU order: reserved sets are PPC's, offlined sets may not be where sysfs core_id is not in CPU order",
	string(host.Catalog): "the catalog's, numbered in CPU order as on EC2 metal",
}

func (r topologyReport) printSummary(w io.Writer) {
	fmt.Fprintf(w, "host %s\n", r.Host)
	fmt.Fprintf(w, "  read from\t%s (%s)\n", r.Source, r.Input)
	fmt.Fprintf(w, "  core ids\t%s\n", coreIDNotes[r.Input])
	fmt.Fprintf(w, "  CPUs\t%d: %s, %s, %s, %s (SMT %s)\n", r.CPUs, counted(len(r.Sockets), "socket", "sockets"),
		counted(len(r.NUMANodes), "NUMA node", "NUMA nodes"), counted(len(r.Cores), "core", "cores"),
		counted(r.ThreadsPerCore, "thread per core", "threads per core"), onOff(r.SMT))
	if r.Offline != "" {
		fmt.Fprintf(w, "  offline\t%s: not in the snapshot's topology, as not in PPC's\n", r.Offline)
	}
}

func (r topologyReport) printGroups(w io.Writer) {
	fmt.Fprintln(w, "\nsocket\tNUMA nodes\tcores\tCPUs")
	for _, g := range r.Sockets {
		fmt.Fprintf(w, "%d\t%s\t%d\t%s\n", g.ID, joinInts(g.Others), g.Cores, g.CPUs)
	}
	fmt.Fprintln(w, "\nNUMA node\tsockets\tcores\tCPUs")
	for _, g := range r.NUMANodes {
		fmt.Fprintf(w, "%d\t%s\t%d\t%s\n", g.ID, joinInts(g.Others), g.Cores, g.CPUs)
	}
}

func (r topologyReport) printCores(w io.Writer) {
	fmt.Fprintln(w, "\ncores in offlining order (socket, then core id)")
	fmt.Fprintln(w, "socket\tcore\tNUMA node\tCPUs")
	for _, c := range r.Cores {
		fmt.Fprintf(w, "%d\t%d\t%d\t%s\n", c.Socket, c.ID, c.Node, c.CPUs)
	}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func joinInts(ids []int) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(id)
	}
	return strings.Join(s, ",")
}

package cli

import (
	"fmt"
	"io"
	"strconv"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/topology"
)

// exitLayoutMismatch is the exit code of `lowlat topology` when the host
// does not match the catalog's layout: the comparison ran, the answer is no.
const exitLayoutMismatch = 2

// catalogReport compares a host with the layout the catalog assumes for an
// instance type.
type catalogReport struct {
	InstanceType string        `json:"instanceType"`
	Matches      bool          `json:"matches"`
	Checks       []layoutCheck `json:"checks"`
}

type layoutCheck struct {
	Name    string `json:"name"`
	Host    string `json:"host"`
	Catalog string `json:"catalog"`
	Matches bool   `json:"matches"`
}

func compareWithCatalog(host topology.Topology, it catalog.InstanceType) *catalogReport {
	assumed := it.Topology()
	rep := &catalogReport{InstanceType: it.Name, Matches: true}
	count := func(name string, h, c int) {
		rep.add(layoutCheck{Name: name, Host: strconv.Itoa(h), Catalog: strconv.Itoa(c), Matches: h == c})
	}
	count("CPUs", len(host.CPUs), len(assumed.CPUs))
	count("sockets", len(host.Sockets()), len(assumed.Sockets()))
	count("NUMA nodes", len(host.Nodes()), len(assumed.Nodes()))
	count("cores", len(host.Cores()), len(assumed.Cores()))
	count("threads per core", host.ThreadsPerCore(), assumed.ThreadsPerCore())
	rep.add(numbering(host, assumed))
	return rep
}

func (r *catalogReport) add(c layoutCheck) {
	r.Checks = append(r.Checks, c)
	r.Matches = r.Matches && c.Matches
}

// numbering finds the first CPU that the host and the catalog place on a
// different socket or NUMA node, or in a core with other siblings: where
// they differ, the catalog's partitions would reserve and isolate the wrong
// threads.
func numbering(host, assumed topology.Topology) layoutCheck {
	check := layoutCheck{Name: "numbering", Host: "same", Catalog: "same", Matches: true}
	at := map[int]topology.CPU{}
	for _, c := range assumed.CPUs {
		at[c.ID] = c
	}
	for _, c := range host.CPUs {
		a, ok := at[c.ID]
		if !ok {
			return layoutCheck{Name: "numbering", Host: place(host, c), Catalog: fmt.Sprintf("CPU %d: none", c.ID)}
		}
		if c.Socket != a.Socket || c.Node != a.Node || !host.Siblings(c.ID).Equal(assumed.Siblings(c.ID)) {
			return layoutCheck{Name: "numbering", Host: place(host, c), Catalog: place(assumed, a)}
		}
	}
	if len(host.CPUs) < len(assumed.CPUs) {
		missing := assumed.All().Difference(host.All())
		return layoutCheck{Name: "numbering", Host: fmt.Sprintf("no CPUs %s", missing), Catalog: "same"}
	}
	return check
}

func place(t topology.Topology, c topology.CPU) string {
	return fmt.Sprintf("CPU %d: socket %d, NUMA node %d, core %s", c.ID, c.Socket, c.Node, t.Siblings(c.ID))
}

func (r *catalogReport) print(w io.Writer) {
	fmt.Fprintf(w, "\ncompared with the catalog's %s\n", r.InstanceType)
	fmt.Fprintln(w, "check\thost\tcatalog\tresult")
	for _, c := range r.Checks {
		verdict := "matches"
		if !c.Matches {
			verdict = "DIFFERS"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", c.Name, c.Host, c.Catalog, verdict)
	}
	if r.Matches {
		fmt.Fprintf(w, "\nthe host is %s as the catalog assumes it: partitions computed from the catalog hold for it\n", r.InstanceType)
		return
	}
	fmt.Fprintf(w, "\nthe host is not %s as the catalog assumes it: give its pool this topology (nodePools[].topology.sysinfo or .lscpu)\n", r.InstanceType)
}

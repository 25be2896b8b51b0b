package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/host"
	"github.com/lowlat/lowlat/generator/topology/sysinfo"
)

var topologyOutputs = []string{"text", "json"}

type topologyOptions struct {
	sysinfo      string
	node         string
	lscpu        string
	instanceType string
	toLscpu      bool
	output       string
}

func newTopologyCommand() *cobra.Command {
	o := &topologyOptions{}
	cmd := &cobra.Command{
		Use:   "topology (--sysinfo PATH [--node NAME] | --lscpu FILE | --instance-type TYPE) [flags]",
		Short: "Print a host's sockets, NUMA nodes, cores and threads, or convert it for the inventory",
		Long: `Topology prints what lowlat reads about one host: its sockets, NUMA nodes and
cores with their logical processors, and whether SMT (hyper-threading) is on.

The host is a sysfs snapshot (--sysinfo): a must-gather node's sysinfo.tgz, an
extracted sysfs tree (or / on the node itself), or a performance must-gather
directory with --node naming the node. Snapshots keep sysfs core_id, so
partitions computed from them, offlining included, are the Performance Profile
Creator's. An "lscpu -p=CPU,CORE,SOCKET,NODE" capture (--lscpu) hides core_id;
an instance type alone (--instance-type) prints the layout the catalog assumes.

With a host and --instance-type, topology compares the host with the layout the
catalog assumes for that type (CPU count, sockets, NUMA nodes, threads per
core, and which socket, NUMA node and core each CPU is on) and exits with 2
when they differ. --to-lscpu writes the host in the form an inventory's
nodePools[].topology.lscpu reads.`,
		Example: `  # A node of a must-gather
  lowlat topology --sysinfo must-gather.local.123 --node worker-0

  # Does the node look like the catalog's c5.metal?
  lowlat topology --sysinfo must-gather.local.123 --node worker-0 --instance-type c5.metal

  # Import it for the inventory
  lowlat topology --sysinfo must-gather.local.123 --node worker-0 --to-lscpu > fixtures/topologies/worker-0.lscpu`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(cmd.InOrStdin(), cmd.OutOrStdout()) },
	}
	f := cmd.Flags()
	f.StringVar(&o.sysinfo, "sysinfo", "", "sysfs snapshot: a sysinfo.tgz, an extracted sysfs tree, or a must-gather directory (with --node)")
	f.StringVar(&o.node, "node", "", "the node of the must-gather given with --sysinfo")
	f.StringVar(&o.lscpu, "lscpu", "", `file holding "lscpu -p=CPU,CORE,SOCKET,NODE" output ("-" for standard input)`)
	f.StringVar(&o.instanceType, "instance-type", "", "EC2 metal instance type: the host, or with --sysinfo or --lscpu the layout to compare it with")
	f.BoolVar(&o.toLscpu, "to-lscpu", false, "write the host as lscpu -p=CPU,CORE,SOCKET,NODE output instead of describing it")
	f.StringVarP(&o.output, "output", "o", "text", "output format: one of "+strings.Join(topologyOutputs, ", "))
	cmd.MarkFlagsMutuallyExclusive("sysinfo", "lscpu")
	return cmd
}

func (o *topologyOptions) run(stdin io.Reader, w io.Writer) error {
	if !slices.Contains(topologyOutputs, o.output) {
		return fmt.Errorf("--output %q is not one of %s", o.output, strings.Join(topologyOutputs, ", "))
	}
	h, compare, err := o.hosts(stdin)
	if err != nil {
		return err
	}
	if o.toLscpu {
		if compare != nil {
			return fmt.Errorf("--to-lscpu converts one host; drop --instance-type or the comparison's other host")
		}
		return h.WriteLscpu(w)
	}
	rep := newTopologyReport(h)
	if compare != nil {
		rep.Catalog = compareWithCatalog(h.Topology, *compare)
	}
	if err := rep.print(w, o.output); err != nil {
		return err
	}
	if rep.Catalog != nil && !rep.Catalog.Matches {
		return &ExitError{Code: exitLayoutMismatch, Err: fmt.Errorf("%s does not match the catalog's %s", h.Name, compare.Name)}
	}
	return nil
}

// hosts returns the host to describe and, when both a host and an
// instance type are given, the instance type to compare it with.
func (o *topologyOptions) hosts(stdin io.Reader) (host.Host, *catalog.InstanceType, error) {
	src := hostFlags{sysinfo: o.sysinfo, node: o.node, lscpu: o.lscpu}
	if src.empty() {
		if o.instanceType == "" {
			return host.Host{}, nil, fmt.Errorf("give the host with --sysinfo PATH [--node NAME], --lscpu FILE or --instance-type TYPE")
		}
		h, err := host.LookupCatalog(o.instanceType)
		return h, nil, err
	}
	h, err := src.read(stdin)
	if err != nil || o.instanceType == "" {
		return h, nil, err
	}
	it, err := catalog.Lookup(o.instanceType)
	return h, &it, err
}

// hostFlags are the flags that name a real host, shared by cpus and topology.
type hostFlags struct{ sysinfo, node, lscpu string }

func (f hostFlags) empty() bool { return f.sysinfo == "" && f.lscpu == "" && f.node == "" }

// read reads the host the flags name; relative paths are the working
// directory's, and --lscpu - is standard input.
func (f hostFlags) read(stdin io.Reader) (host.Host, error) {
	switch {
	case f.sysinfo != "" && f.lscpu != "":
		return host.Host{}, fmt.Errorf("give --sysinfo or --lscpu, not both")
	case f.node != "" && f.sysinfo == "":
		return host.Host{}, fmt.Errorf("--node names a node of the must-gather given with --sysinfo; give --sysinfo too")
	case f.sysinfo != "":
		h, err := host.ReadSysinfo(host.OS(""), f.sysinfo, f.node)
		if errors.Is(err, sysinfo.ErrNode) && f.node == "" {
			err = fmt.Errorf("%w: name one with --node", err)
		}
		return h, err
	case f.lscpu == "-":
		return host.ParseLscpu(stdin, "standard input")
	}
	return host.ReadLscpu(host.OS(""), f.lscpu)
}

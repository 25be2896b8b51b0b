package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lowlat/lowlat/generator/host"
	"github.com/lowlat/lowlat/generator/topology"
)

// powerConsumptionModes are PPC's --power-consumption-mode values; only
// ultra-low-latency (high power consumption) changes the partition.
var powerConsumptionModes = []string{"default", "low-latency", "ultra-low-latency"}

var cpusOutputs = []string{"text", "json", "yaml"}

type cpusOptions struct {
	instanceType string
	lscpu        string
	sysinfo      string
	node         string
	reserved     int
	reservedSet  string
	split        bool
	offlined     int
	disableHT    bool
	powerMode    string
	output       string
}

func newCPUsCommand() *cobra.Command {
	o := &cpusOptions{}
	cmd := &cobra.Command{
		Use:   "cpus (--instance-type TYPE | --lscpu FILE | --sysinfo PATH [--node NAME]) (--reserved N | --reserved-set CPUSET) [flags]",
		Short: "Print the reserved, isolated and offlined CPUs of one host",
		Long: `Cpus partitions the CPUs of one host the way the Performance Profile Creator
does, without a must-gather: the host is an EC2 metal instance type from the
catalog, a capture of "lscpu -p=CPU,CORE,SOCKET,NODE" from a real node, or a
sysfs snapshot (--sysinfo): a must-gather node's sysinfo.tgz, an extracted sysfs
tree, or a must-gather directory with --node. Only a snapshot keeps sysfs
core_id, which orders offlining inside a socket: with it the offlined set is
the Performance Profile Creator's on every host ("lowlat topology" shows it).

Reserved CPUs are taken NUMA node by NUMA node, both threads of a core
together; --split-reserved-across-numa shares them out evenly over the nodes
(extra cores go to the lowest nodes). Offlined CPUs are whole sockets first
(not with --power-consumption-mode ultra-low-latency), then second threads,
then any CPU that is not reserved. Isolated is the rest. With --disable-ht only
the first thread of each core counts: the profile then needs the nosmt kernel
argument. A request that cannot be met is an error that says what would work.` + catalogHelp(),
		Example: `  # Two cores of NUMA node 0 on a c5.metal
  lowlat cpus --instance-type c5.metal --reserved 4

  # Six CPUs spread over both NUMA nodes, as JSON
  lowlat cpus --instance-type c5.metal --reserved 6 --split-reserved-across-numa -o json

  # A real node's capture, with one socket offlined
  oc debug node/worker-0 -- chroot /host lscpu -p=CPU,CORE,SOCKET,NODE > worker-0.lscpu
  lowlat cpus --lscpu worker-0.lscpu --reserved 4 --offlined 48

  # A node of a performance must-gather, as PPC reads it
  lowlat cpus --sysinfo must-gather.local.123 --node worker-0 --reserved 4 --offlined 4`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(cmd) },
	}
	o.addFlags(cmd)
	return cmd
}

func (o *cpusOptions) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.instanceType, "instance-type", "", "EC2 metal instance type from the catalog, e.g. c5.metal")
	f.StringVar(&o.lscpu, "lscpu", "", `file holding "lscpu -p=CPU,CORE,SOCKET,NODE" output of the host ("-" for standard input)`)
	f.StringVar(&o.sysinfo, "sysinfo", "", "sysfs snapshot of the host: a sysinfo.tgz, an extracted sysfs tree, or a must-gather directory (with --node)")
	f.StringVar(&o.node, "node", "", "the node of the must-gather given with --sysinfo")
	f.IntVar(&o.reserved, "reserved", 0, "number of reserved (housekeeping) CPUs")
	f.StringVar(&o.reservedSet, "reserved-set", "", "explicit reserved CPUs as a cpulist, e.g. 0-1,48-49")
	f.BoolVar(&o.split, "split-reserved-across-numa", false, "share the reserved CPUs out evenly over the NUMA nodes, at least a whole core each")
	f.IntVar(&o.offlined, "offlined", 0, "number of CPUs to take offline")
	f.BoolVar(&o.disableHT, "disable-ht", false, "partition only the first thread of each core (the profile then needs nosmt)")
	f.StringVar(&o.powerMode, "power-consumption-mode", "default", "one of "+strings.Join(powerConsumptionModes, ", "))
	f.StringVarP(&o.output, "output", "o", "text", "output format: one of "+strings.Join(cpusOutputs, ", "))
	// The "at least one" halves are checked in run, whose errors say more
	// than cobra's.
	cmd.MarkFlagsMutuallyExclusive("instance-type", "lscpu", "sysinfo")
	cmd.MarkFlagsMutuallyExclusive("reserved", "reserved-set")
	cmd.MarkFlagsMutuallyExclusive("reserved-set", "split-reserved-across-numa") // a set is already placed
}

func (o *cpusOptions) run(cmd *cobra.Command) error {
	if !cmd.Flags().Changed("reserved") && !cmd.Flags().Changed("reserved-set") {
		return fmt.Errorf("give the reserved CPUs with --reserved N or --reserved-set CPUSET")
	}
	req, err := o.request()
	if err != nil {
		return err
	}
	host, topo, err := o.host(cmd.InOrStdin())
	if err != nil {
		return err
	}
	part, err := topology.Split(topo, req)
	if err != nil {
		return fmt.Errorf("%s: %w", host, err)
	}
	return o.print(cmd.OutOrStdout(), host, topo, part)
}

// request checks the flags that need no host and turns them into a Request.
func (o *cpusOptions) request() (topology.Request, error) {
	if !slices.Contains(powerConsumptionModes, o.powerMode) {
		return topology.Request{}, fmt.Errorf("--power-consumption-mode %q is not one of %s", o.powerMode, strings.Join(powerConsumptionModes, ", "))
	}
	if !slices.Contains(cpusOutputs, o.output) {
		return topology.Request{}, fmt.Errorf("--output %q is not one of %s", o.output, strings.Join(cpusOutputs, ", "))
	}
	req, err := host.Partitioning{
		Reserved:             o.reserved,
		ReservedSet:          o.reservedSet,
		SplitAcrossNUMA:      o.split,
		Offlined:             o.offlined,
		DisableHT:            o.disableHT,
		HighPowerConsumption: o.powerMode == "ultra-low-latency",
	}.Request()
	if err != nil {
		return topology.Request{}, fmt.Errorf("--reserved-set: %w", err)
	}
	return req, nil
}

// host returns a name for the host and its topology.
func (o *cpusOptions) host(stdin io.Reader) (string, topology.Topology, error) {
	src := hostFlags{sysinfo: o.sysinfo, node: o.node, lscpu: o.lscpu}
	switch {
	case o.instanceType != "" && !src.empty():
		return "", topology.Topology{}, fmt.Errorf("give one of --instance-type, --lscpu and --sysinfo")
	case o.instanceType != "":
		h, err := host.LookupCatalog(o.instanceType)
		return h.Name, h.Topology, err
	case src.empty():
		return "", topology.Topology{}, fmt.Errorf("give the host with --instance-type TYPE or --lscpu FILE, or a sysfs snapshot with --sysinfo PATH [--node NAME]")
	}
	h, err := src.read(stdin)
	if off := h.Offline(); !off.IsEmpty() {
		h.Name += fmt.Sprintf(" (CPUs %s offline in the snapshot, not partitioned)", off)
	}
	return h.Name, h.Topology, err
}

// cpusResult is the machine-readable output, keys in PerformanceProfile
// spec.cpu terms.
type cpusResult struct {
	Reserved string `json:"reserved"`
	Isolated string `json:"isolated"`
	Offlined string `json:"offlined"`
}

func (o *cpusOptions) print(w io.Writer, host string, topo topology.Topology, p topology.Partition) error {
	res := cpusResult{Reserved: p.Reserved.String(), Isolated: p.Isolated.String(), Offlined: p.Offlined.String()}
	switch o.output {
	case "json":
		data, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", data)
		return err
	case "yaml":
		// Written by hand to keep the JSON key order; quoting keeps "0" a string.
		_, err := fmt.Fprintf(w, "reserved: %s\nisolated: %s\nofflined: %s\n",
			strconv.Quote(res.Reserved), strconv.Quote(res.Isolated), strconv.Quote(res.Offlined))
		return err
	}
	return printCPUsText(w, host, topo, p)
}

// namedSet is one row of the text output.
type namedSet struct {
	name string
	set  topology.CPUSet
}

// counted is n with its noun in the singular or the plural.
func counted(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// printCPUsText writes a table of the sets, then the sets per NUMA node.
func printCPUsText(w io.Writer, host string, topo topology.Topology, p topology.Partition) error {
	fmt.Fprintf(w, "host %s: %s, %s, %s\n\n", host, counted(len(topo.CPUs), "CPU", "CPUs"),
		counted(len(topo.Nodes()), "NUMA node", "NUMA nodes"), counted(topo.ThreadsPerCore(), "thread per core", "threads per core"))
	rows := []namedSet{{"reserved", p.Reserved}, {"isolated", p.Isolated}, {"offlined", p.Offlined}}
	if !p.Disabled.IsEmpty() {
		rows = append(rows, namedSet{"nosmt", p.Disabled})
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "set\tcount\tCPUs")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%s\n", r.name, r.set.Len(), orDash(r.set))
	}
	fmt.Fprintln(tw, "\nNUMA node\treserved\tisolated\tofflined")
	for _, n := range topo.Nodes() {
		node := topo.NodeCPUs(n)
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", n, orDash(node.Intersect(p.Reserved)), orDash(node.Intersect(p.Isolated)), orDash(node.Intersect(p.Offlined)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if !p.Disabled.IsEmpty() {
		_, err := fmt.Fprintln(w, "\nhyper-threading disabled: add the nosmt kernel argument, which keeps the nosmt CPUs offline")
		return err
	}
	return nil
}

func orDash(s topology.CPUSet) string {
	if s.IsEmpty() {
		return "-"
	}
	return s.String()
}

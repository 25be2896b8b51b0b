package twin

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/inventory"
)

// Spec is what the twin knows of the cluster before anything is synced:
// its OpenShift release and its machines. It holds no intent: what the
// pools are tuned to, the twin learns from the objects ArgoCD applies.
type Spec struct {
	// Cluster is the inventory's name for the cluster.
	Cluster string
	// OpenShift is the release, "<major>.<minor>".
	OpenShift string
	Nodes     []NodeSpec
	Durations Durations
	Faults    Faults
	// Kubectl is the kubectl binary (the e2e tools' build) with which the
	// twin runs a container's shell script, as both kubectl and oc; a
	// script container fails when it is "".
	Kubectl string
}

// NodeSpec is one metal node of a pool.
type NodeSpec struct {
	Name string
	// Pool is the inventory's node pool; Role the node-role label it
	// carries (node-role.kubernetes.io/<role>), as a node added to a custom
	// machine config pool does.
	Pool, Role   string
	InstanceType catalog.InstanceType
	Zone         string
	// MachineSet is the MachineSet that creates the node once ArgoCD syncs
	// it; "" for a node that exists before the sync (a pool with
	// machineSet: false).
	MachineSet string
	// Interfaces are the ENIs attached to the instance, primary first.
	Interfaces []Interface
}

// Interface is one ENI as the node sees it.
type Interface struct {
	// PCIAddress and MAC are the twin's own, stable per node and device.
	PCIAddress, MAC string
	SubnetID        string
	DeviceIndex     int
}

// SpecFor describes a cluster of a validated inventory: one node per pool
// replica, in pool order, each taking the ENIs of the pool's discovered
// instance at the same position (a replica without one has only its
// primary interface). A replica of a pool with MachineSets is made by the
// MachineSet of its zone.
func SpecFor(inv *inventory.Inventory, c *inventory.Cluster) (Spec, error) {
	spec := Spec{Cluster: c.Name, OpenShift: inv.Spec.OpenShift.Version, Durations: DefaultDurations()}
	for i := range c.NodePools {
		np := &c.NodePools[i]
		it, err := catalog.Lookup(np.InstanceType)
		if err != nil {
			return Spec{}, fmt.Errorf("pool %s: %w", np.Name, err)
		}
		sets, zones := machineSets(c, np)
		for r := 0; r < np.Replicas; r++ {
			n := NodeSpec{Name: nodeName(c.Name, np.Name, r), Pool: np.Name, Role: roleOf(np), InstanceType: it}
			if r < len(np.Instances) {
				n.Zone = np.Instances[r].AvailabilityZone
				n.Interfaces = interfaces(r, np.Instances[r].NetworkInterfaces)
			}
			if r < len(sets) {
				n.MachineSet, n.Zone = sets[r], zones[r]
			}
			if len(n.Interfaces) == 0 {
				n.Interfaces = []Interface{{PCIAddress: pciAddress(0), MAC: mac(r, 0)}}
			}
			spec.Nodes = append(spec.Nodes, n)
		}
	}
	return spec, nil
}

// machineSets names the MachineSet and zone of each replica of a pool
// with MachineSets, as the renderer spreads them: the first
// ZoneReplicas()[0] replicas in Zones[0], the next in Zones[1], and so on.
func machineSets(c *inventory.Cluster, np *inventory.NodePool) (sets, zones []string) {
	if !np.HasMachineSets() {
		return nil, nil
	}
	for i, n := range np.ZoneReplicas() {
		for range n {
			sets = append(sets, c.MachineSetName(np, np.Zones[i]))
			zones = append(zones, np.Zones[i])
		}
	}
	return sets, zones
}

func roleOf(np *inventory.NodePool) string {
	if np.NodeRole != "" {
		return np.NodeRole
	}
	return np.Name
}

// nodeName follows the installer's names for AWS machines:
// <cluster>-<pool>-<zone letter>-<suffix>; the twin numbers them.
func nodeName(cluster, pool string, replica int) string {
	return fmt.Sprintf("%s-%s-%d", cluster, pool, replica)
}

func interfaces(replica int, enis []inventory.NetworkInterface) []Interface {
	sorted := append([]inventory.NetworkInterface(nil), enis...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].NetworkCardIndex != sorted[j].NetworkCardIndex {
			return sorted[i].NetworkCardIndex < sorted[j].NetworkCardIndex
		}
		return sorted[i].DeviceIndex < sorted[j].DeviceIndex
	})
	var out []Interface
	for i, e := range sorted {
		out = append(out, Interface{PCIAddress: pciAddress(i), MAC: mac(replica, i), SubnetID: e.SubnetID, DeviceIndex: e.DeviceIndex})
	}
	return out
}

// pciAddress is where the i-th ENA device appears on a metal instance's
// PCI bus in the twin.
func pciAddress(i int) string { return fmt.Sprintf("0000:%02x:00.0", 0x10+i) }

func mac(replica, i int) string { return fmt.Sprintf("02:00:00:00:%02x:%02x", replica, i) }

// Pools lists the pool names of the spec's nodes, sorted.
func (s Spec) Pools() []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range s.Nodes {
		if !seen[n.Pool] {
			seen[n.Pool] = true
			out = append(out, n.Pool)
		}
	}
	sort.Strings(out)
	return out
}

// Durations are how long the cluster takes for what it does, in modelled
// time. The defaults are typical of OpenShift on EC2 metal; a user with
// other measurements overrides them (lowlat rehearse --duration).
type Durations struct {
	// InstallPlan: OLM resolves a Subscription, unpacks the bundle and
	// creates the InstallPlan, which installs the CRDs.
	InstallPlan time.Duration
	// OperatorStart: the CSV's deployment rolls out and its webhook
	// serves (CSV Installing → Succeeded).
	OperatorStart time.Duration
	// HyperConverged: HCO deploys KubeVirt, CDI, SSP and the network
	// add-ons until the CR is Available.
	HyperConverged time.Duration
	// Render: the Machine Config Operator renders a pool's new config.
	Render time.Duration
	// Drain: cordon and evict a node's pods.
	Drain time.Duration
	// Reboot: a metal instance reboots (firmware, kernel, kubelet Ready).
	Reboot time.Duration
	// Provision: the machine API launches a MachineSet's EC2 metal
	// instance, which boots RHCOS with the worker Ignition config and joins
	// as a Ready node.
	Provision time.Duration
	// SRIOVConfig: the SR-IOV config daemon configures a node's VFs.
	SRIOVConfig time.Duration
	// PodStart: a pod is scheduled, pulls its image and starts.
	PodStart time.Duration
	// PerfRun: one kube-burner run.
	PerfRun time.Duration
}

// DefaultDurations are the documented defaults.
func DefaultDurations() Durations {
	return Durations{
		InstallPlan:    90 * time.Second,
		OperatorStart:  2 * time.Minute,
		HyperConverged: 5 * time.Minute,
		Render:         catalog.NodeRollout.Render,
		Drain:          catalog.NodeRollout.Drain,
		Reboot:         catalog.NodeRollout.Reboot,
		Provision:      10 * time.Minute,
		SRIOVConfig:    90 * time.Second,
		PodStart:       20 * time.Second,
		PerfRun:        8 * time.Minute,
	}
}

// durationKeys names every duration for --duration key=value.
var durationKeys = map[string]func(*Durations) *time.Duration{
	"install-plan":   func(d *Durations) *time.Duration { return &d.InstallPlan },
	"operator-start": func(d *Durations) *time.Duration { return &d.OperatorStart },
	"hyperconverged": func(d *Durations) *time.Duration { return &d.HyperConverged },
	"render":         func(d *Durations) *time.Duration { return &d.Render },
	"drain":          func(d *Durations) *time.Duration { return &d.Drain },
	"reboot":         func(d *Durations) *time.Duration { return &d.Reboot },
	"provision":      func(d *Durations) *time.Duration { return &d.Provision },
	"sriov-config":   func(d *Durations) *time.Duration { return &d.SRIOVConfig },
	"pod-start":      func(d *Durations) *time.Duration { return &d.PodStart },
	"perf-run":       func(d *Durations) *time.Duration { return &d.PerfRun },
}

// DurationKeys lists the keys Set accepts, sorted.
func DurationKeys() []string {
	var out []string
	for k := range durationKeys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Set overrides one duration from "key=duration".
func (d *Durations) Set(kv string) error {
	k, v, ok := strings.Cut(kv, "=")
	field := durationKeys[k]
	if !ok || field == nil {
		return fmt.Errorf("duration %q: want key=duration with key one of %s", kv, strings.Join(DurationKeys(), ", "))
	}
	dur, err := time.ParseDuration(v)
	if err != nil || dur < 0 {
		return fmt.Errorf("duration %q: %q is not a non-negative duration such as 90s or 12m", kv, v)
	}
	*field(d) = dur
	return nil
}

// Faults are failures the twin injects, to rehearse how a rollout ends
// when the cluster misbehaves.
type Faults struct {
	// FailJob names Jobs (namespace/name or name, or a path.Match pattern
	// of either) whose pod exits non-zero.
	FailJob []string
	// StuckOperator names OLM packages whose CSV never succeeds.
	StuckOperator []string
	// LostNode names nodes (<cluster>-<pool>-<n>, whether they exist
	// before the sync or a MachineSet makes them) that never come back
	// from a reboot.
	LostNode []string
}

// AddNodes adds the nodes that spec does not have yet (by name): the
// machines of pools an earlier revision had.
func (s *Spec) AddNodes(nodes []NodeSpec) {
	have := map[string]bool{}
	for _, n := range s.Nodes {
		have[n.Name] = true
	}
	for _, n := range nodes {
		if !have[n.Name] {
			s.Nodes = append(s.Nodes, n)
		}
	}
}

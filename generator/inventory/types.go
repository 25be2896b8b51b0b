package inventory

import (
	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/topology"
)

// APIVersion and Kind identify an inventory document.
const (
	APIVersion = "lowlat.dev/v1alpha1"
	Kind       = "Inventory"
)

// Inventory is the single source of truth lowlat renders from.
type Inventory struct {
	APIVersion string     `json:"apiVersion"`
	Kind       string     `json:"kind"`
	Metadata   ObjectMeta `json:"metadata"`
	Spec       Spec       `json:"spec"`

	// warnings are what Parse found questionable but not wrong.
	warnings []Problem
	// clustersElsewhere marks a file of a fleet whose other files list
	// the clusters: it may give fleet-wide settings only.
	clustersElsewhere bool
}

// ObjectMeta names the inventory.
type ObjectMeta struct {
	Name string `json:"name"`
	// Labels and Annotations are kept as they are; kustomize reads the
	// annotations of a KRM function's config (config.kubernetes.io/function,
	// lowlat.dev/cluster).
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// Spec lists the clusters and what they share.
type Spec struct {
	OpenShift OpenShift `json:"openshift"`
	// GitOps says where the rendered repository lives and where ArgoCD runs.
	GitOps   GitOps    `json:"gitops,omitempty"`
	Clusters []Cluster `json:"clusters"`
}

// OpenShift selects the OpenShift release the clusters run.
type OpenShift struct {
	// Version is "<major>.<minor>", e.g. "4.20". Quote it in YAML: an unquoted
	// 4.20 is the number 4.2.
	Version string `json:"version"`
}

// Cluster is one OpenShift cluster on AWS.
type Cluster struct {
	// Name is a DNS-1123 label; it becomes the overlays/aws/<name> directory.
	Name string `json:"name"`
	// Region is the AWS region, e.g. us-east-2.
	Region string `json:"region"`
	// InfraID is the OpenShift infrastructure name; discovery finds the
	// cluster's instances by the kubernetes.io/cluster/<infraID> tag.
	InfraID string `json:"infraID,omitempty"`
	// Destination is where ArgoCD applies this cluster's manifests.
	Destination Destination `json:"destination,omitempty"`
	NodePools   []NodePool  `json:"nodePools"`
	// Networks are SR-IOV networks on secondary ENIs.
	Networks  []Network  `json:"networks,omitempty"`
	Workloads Workloads  `json:"workloads,omitempty"`
	PerfTests *PerfTests `json:"perfTests,omitempty"`
	// Machines are what the pools' MachineSets create nodes with.
	Machines *Machines `json:"machines,omitempty"`
	// Monitoring is the cluster's alerts and console dashboard, computed
	// from its pools.
	Monitoring Monitoring `json:"monitoring,omitempty"`
	// AcknowledgedWarnings are the codes of the cluster's warnings that
	// its owner knows of (WarningCodes): they are counted, not printed.
	AcknowledgedWarnings []string `json:"acknowledgedWarnings,omitempty"`
}

// Monitoring says whether lowlat renders the cluster's PrometheusRule and
// console dashboard, and where.
type Monitoring struct {
	// Enabled renders them. Default true.
	Enabled *bool `json:"enabled,omitempty"`
	// Namespace holds the PrometheusRule. lowlat creates it with the label
	// that makes OpenShift's platform Prometheus evaluate its rules.
	// Default lowlat-monitoring.
	Namespace string `json:"namespace,omitempty"`
}

// On reports whether the cluster's monitoring is rendered.
func (m Monitoring) On() bool { return m.Enabled == nil || *m.Enabled }

// DefaultMonitoringNamespace holds the PrometheusRules when the inventory
// names no namespace.
const DefaultMonitoringNamespace = "lowlat-monitoring"

// NodePool is a set of identical EC2 metal nodes with one tuning.
type NodePool struct {
	// Name is a DNS-1123 label; it names the MachineConfigPool and the
	// PerformanceProfile.
	Name string `json:"name"`
	// NodeRole is the node-role.kubernetes.io/<role> label the pool's nodes
	// carry. Defaults to Name.
	NodeRole     string `json:"nodeRole,omitempty"`
	InstanceType string `json:"instanceType"`
	Replicas     int    `json:"replicas"`
	// Topology overrides the catalog's assumed CPU layout with a real host's.
	Topology *TopologySource `json:"topology,omitempty"`
	Tuning   Tuning          `json:"tuning"`
	// Discovery tells `lowlat discover` which instances are the pool's when
	// another pool has the same instance type.
	Discovery *Discovery `json:"discovery,omitempty"`
	// Instances are the pool's EC2 instances as `lowlat discover` found them.
	Instances []Instance `json:"instances,omitempty"`
	// MachineSet says whether lowlat renders the pool's MachineSets, one
	// per zone, which create its nodes labelled for the pool. Default
	// true; false when the nodes exist already and carry
	// node-role.kubernetes.io/<nodeRole>.
	MachineSet *bool `json:"machineSet,omitempty"`
	// Zones are the availability zones the pool's replicas are spread
	// over, one MachineSet each. Default: the zones of its discovered
	// instances, else the zone of its SR-IOV networks, else the first of
	// machines.subnets.
	Zones []string `json:"zones,omitempty"`
	// Taints are put on the pool's nodes by its MachineSets.
	Taints []Taint `json:"taints,omitempty"`
	// MaxUnavailable is how many of the pool's nodes the Machine Config
	// Operator drains and reboots at once for a new tuning: a count or a
	// percentage of the pool ("25%"). Default 1: start small.
	MaxUnavailable *NodeCount `json:"maxUnavailable,omitempty"`
	// Canary rolls a new tuning out to one node of the pool first: the
	// pool's MachineConfigPool is held paused, one node (labelled
	// node-role.kubernetes.io/<nodeRole>-canary) forms a pool of its own
	// that takes every new config at once, and the rest of the pool follows
	// only when a kube-burner re-test on that node passes the perf tests'
	// thresholds. Needs perfTests with podDensity and a podLatency
	// threshold, and at least 2 replicas.
	Canary bool `json:"canary,omitempty"`

	// host is what validation resolved for this pool.
	host *Host
}

// TopologySource points at a captured host topology: lscpu or sysinfo,
// not both.
type TopologySource struct {
	// LSCPU is the path of an `lscpu -p=CPU,CORE,SOCKET,NODE` capture,
	// relative to the inventory file.
	LSCPU string `json:"lscpu,omitempty"`
	// Sysinfo is the path of a sysfs snapshot, relative to the inventory
	// file: a must-gather node's sysinfo.tgz, an extracted sysfs tree, or a
	// must-gather directory with Node. Unlike lscpu it keeps sysfs core_id,
	// so offlining is the Performance Profile Creator's on any host.
	Sysinfo string `json:"sysinfo,omitempty"`
	// Node names the node when Sysinfo is a must-gather directory.
	Node string `json:"node,omitempty"`
}

// Tuning is how a pool's PerformanceProfile partitions and prepares the host.
type Tuning struct {
	// ReservedCPUs is a count ("4") or an explicit cpuset ("0-1,48-49") for
	// housekeeping; the rest (less offlined) is isolated.
	ReservedCPUs            CPUQuantity `json:"reservedCPUs"`
	SplitReservedAcrossNUMA bool        `json:"splitReservedAcrossNUMA,omitempty"`
	OfflinedCPUs            int         `json:"offlinedCPUs,omitempty"`
	// SMT false keeps one logical processor per core (kernel argument nosmt).
	SMT *bool `json:"smt,omitempty"`
	// TopologyPolicy is the kubelet topology manager policy.
	TopologyPolicy       string         `json:"topologyPolicy,omitempty"`
	RealTimeKernel       bool           `json:"realTimeKernel,omitempty"`
	Hugepages            []Hugepages    `json:"hugepages,omitempty"`
	DefaultHugepagesSize string         `json:"defaultHugepagesSize,omitempty"`
	WorkloadHints        *WorkloadHints `json:"workloadHints,omitempty"`
	// AdditionalKernelArgs are appended to the kernel command line; arguments
	// the workload hints already imply are rejected.
	AdditionalKernelArgs []string `json:"additionalKernelArgs,omitempty"`
}

// Hugepages is a count of pages of one size, optionally on one NUMA node.
type Hugepages struct {
	Size  string `json:"size"`
	Count int    `json:"count"`
	// Node pins the pages to a NUMA node; without it the kernel spreads them.
	Node *int `json:"node,omitempty"`
}

// WorkloadHints are the PerformanceProfile workload hints.
type WorkloadHints struct {
	RealTime              *bool `json:"realTime,omitempty"`
	HighPowerConsumption  bool  `json:"highPowerConsumption,omitempty"`
	PerPodPowerManagement bool  `json:"perPodPowerManagement,omitempty"`
}

// Host is a pool's resolved hardware and CPU partition.
type Host struct {
	InstanceType catalog.InstanceType
	Topology     topology.Topology
	Partition    topology.Partition
}

// Host returns what validation resolved for the pool; nil before Load.
func (p *NodePool) Host() *Host { return p.host }

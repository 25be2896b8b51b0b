package advise

import "github.com/lowlat/lowlat/generator/catalog"

// Platform is what a workload runs as.
type Platform string

// The platforms. lowlat's nodes are bare metal already: a workload runs on
// them as a container or as a KubeVirt VM.
const (
	Container Platform = "container"
	VM        Platform = "vm"
)

// Kind says where a workload is listed in the inventory, which fixes its
// platform for VMs and pods.
type Kind string

// The kinds of workload.
const (
	KindApp Kind = "app"
	KindVM  Kind = "vm"
	KindPod Kind = "pod"
)

// Source says whether a decision was derived from the needs or set in the
// inventory.
type Source string

// The sources of a decision.
const (
	Derived  Source = "derived"
	Explicit Source = "explicit"
)

// Pool is what the advice knows of a node pool.
type Pool struct {
	Name         string
	InstanceType catalog.InstanceType
	Replicas     int
	// HugepageSizes the pool's PerformanceProfile reserves, in Kubernetes
	// spelling (1Gi, 2Mi).
	HugepageSizes []string
	// Networks are the SR-IOV networks configured on the pool, by name.
	Networks []Network
}

// Network is an SR-IOV network and how its VFs are bound.
type Network struct {
	Name       string
	DeviceType string // netdevice or vfio-pci
}

// vfioPCI is the device type KubeVirt passes through to a VM.
const vfioPCI = "vfio-pci"

// Workload is one workload to advise on.
type Workload struct {
	Name  string
	Kind  Kind
	Needs Needs
	Set   Settings
}

// Settings are the knobs the inventory sets explicitly; the zero value of
// each means unset.
type Settings struct {
	// Platform is set for an app that names one; a VM or pod is fixed by
	// its kind.
	Platform              Platform
	Pool                  string
	IsolateEmulatorThread *bool
	HugepageSize          string
	Networks              []string
	IOThreadsPolicy       string
}

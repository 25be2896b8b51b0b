package inventory

import "github.com/lowlat/lowlat/generator/advise"

// Workloads are the low-latency VMs and pods of a cluster.
type Workloads struct {
	// Namespace holds the VMs, pods and networks. Default lowlat-workloads.
	Namespace string `json:"namespace,omitempty"`
	// AlignCPUs turns on OpenShift Virtualization's alignCPUs feature gate
	// (Developer Preview): a VM that isolates its emulator thread gets two
	// emulator CPUs instead of one when its vCPU count is even, so that its
	// dedicated CPUs are whole cores on SMT hosts. Without it, such a VM
	// needs an odd vCPU count on a pool with full-pcpus-only.
	AlignCPUs bool  `json:"alignCPUs,omitempty"`
	VMs       []VM  `json:"vms,omitempty"`
	Pods      []Pod `json:"pods,omitempty"`
	// Apps say only what they need; see App.
	Apps []App `json:"apps,omitempty"`

	// advice is what lowlat advise decided for the workloads with needs.
	advice []advise.Advice
}

// VM is a low-latency KubeVirt VirtualMachine placed on a node pool. It is
// rendered stopped (runStrategy Halted); start it with virtctl.
type VM struct {
	Name     string `json:"name"`
	NodePool string `json:"nodePool"`
	// CPUs is the number of dedicated vCPUs.
	CPUs int `json:"cpus"`
	// Memory is the guest memory, a Kubernetes quantity such as 4Gi.
	Memory string `json:"memory"`
	// HugepageSize is 1Gi or 2Mi; the pool must reserve enough pages of it.
	// With hugepages the guest also gets the host's NUMA topology
	// (guestMappingPassthrough).
	HugepageSize string `json:"hugepageSize,omitempty"`
	// IsolateEmulatorThread gives QEMU's emulator thread a dedicated CPU of
	// its own. Default true.
	IsolateEmulatorThread *bool `json:"isolateEmulatorThread,omitempty"`
	// Realtime runs the vCPUs with a real-time scheduling policy; it needs
	// hugepages.
	Realtime bool `json:"realtime,omitempty"`
	// IOThreadsPolicy is shared or auto. Default auto.
	IOThreadsPolicy string `json:"ioThreadsPolicy,omitempty"`
	// Image is a KubeVirt containerDisk image with a pinned tag or digest.
	// Default: a Fedora containerDisk (see Images).
	Image string `json:"image,omitempty"`
	// Networks names SR-IOV networks of the cluster to attach; they must use
	// deviceType vfio-pci.
	Networks []string `json:"networks,omitempty"`
	// SSHAuthorizedKeys are put into the guest by cloud-init, for the
	// image's default user.
	SSHAuthorizedKeys []string `json:"sshAuthorizedKeys,omitempty"`
	// Needs derive nodePool, isolateEmulatorThread, hugepageSize, networks
	// and ioThreadsPolicy where they are unset.
	Needs *Needs `json:"needs,omitempty"`

	// set is what the inventory set before defaulting, for the advice.
	set *advise.Settings
}

// Pod is a low-latency test pod (oslat, cyclictest) placed on a node pool.
type Pod struct {
	Name     string `json:"name"`
	NodePool string `json:"nodePool"`
	// Test is oslat or cyclictest.
	Test string `json:"test"`
	// CPUs is the number of exclusive CPUs; the test's main thread takes the
	// first and measures the others, so at least 2.
	CPUs int `json:"cpus"`
	// Memory is a Kubernetes quantity. Default 1Gi.
	Memory string `json:"memory,omitempty"`
	// Duration of the measurement, a Go duration such as 5m. Default 5m.
	Duration string `json:"duration,omitempty"`
	// Hugepages mounts hugepages of one size into the pod.
	Hugepages *PodHugepages `json:"hugepages,omitempty"`
	// Image holds the test binaries and runners. Default: the OpenShift
	// latency test image of the inventory's OpenShift version.
	Image    string   `json:"image,omitempty"`
	Networks []string `json:"networks,omitempty"`
	// Needs derive nodePool, networks and hugepages where they are unset.
	Needs *Needs `json:"needs,omitempty"`

	// set is what the inventory set before defaulting, for the advice.
	set *advise.Settings
}

// PodHugepages is an amount of hugepage memory of one page size.
type PodHugepages struct {
	// Size is 1Gi or 2Mi.
	Size string `json:"size"`
	// Memory is a quantity, a multiple of Size, e.g. 2Gi.
	Memory string `json:"memory"`
}

// PerfTests is the kube-burner Test → Change → Re-test of a cluster: the
// same pod-density job runs before the PerformanceProfile is applied and
// after; the VMI-latency job runs after, because its low-latency VMs need
// the profile's hugepages and runtime class.
type PerfTests struct {
	// Namespace runs the kube-burner Jobs. Default lowlat-perf.
	Namespace string `json:"namespace,omitempty"`
	// NodePool the test pods are placed on.
	NodePool string `json:"nodePool"`
	// PodDensity is the number of pods the pod-density job creates; 0
	// skips the job.
	PodDensity int `json:"podDensity,omitempty"`
	// VMILatency is the number of VMs the vmi-latency job starts; 0 skips
	// the job.
	VMILatency int `json:"vmiLatency,omitempty"`
	// VMTemplate names the workloads VM whose shape the vmi-latency job's
	// VMs copy (CPUs, memory, hugepages, pool); required with vmiLatency.
	VMTemplate string `json:"vmTemplate,omitempty"`
	// Thresholds fail a run when a latency quantile exceeds them.
	Thresholds []Threshold `json:"thresholds,omitempty"`
	// KeepRuns is how many finished runs of each test (their Jobs, pods
	// and configs) stay on the cluster; the current run always stays.
	// Default 5.
	KeepRuns int `json:"keepRuns,omitempty"`
	// KeepResults is how many results ConfigMaps of each test stay on the
	// cluster for lowlat results pull. Default 50.
	KeepResults int `json:"keepResults,omitempty"`
}

// Threshold is kube-burner's measurement threshold.
type Threshold struct {
	// Measurement is podLatency or vmiLatency.
	Measurement string `json:"measurement"`
	// ConditionType is a condition the measurement times, e.g. Ready or
	// VMIRunning.
	ConditionType string `json:"conditionType"`
	// Metric is P99, P95, P50, Avg or Max.
	Metric string `json:"metric"`
	// Threshold is a duration such as 5s.
	Threshold string `json:"threshold"`
}

package inventory

// Workloads are the low-latency VMs and pods of a cluster.
type Workloads struct {
	// Namespace holds the VMs, pods and networks. Default lowlat-workloads.
	Namespace string `json:"namespace,omitempty"`
	VMs       []VM   `json:"vms,omitempty"`
	Pods      []Pod  `json:"pods,omitempty"`
}

// VM is a low-latency KubeVirt VirtualMachine placed on a node pool.
type VM struct {
	Name     string `json:"name"`
	NodePool string `json:"nodePool"`
	// CPUs is the number of dedicated vCPUs.
	CPUs int `json:"cpus"`
	// Memory is the guest memory, a Kubernetes quantity such as 4Gi.
	Memory string `json:"memory"`
	// HugepageSize is 1Gi or 2Mi; the pool must reserve pages of it.
	HugepageSize          string `json:"hugepageSize,omitempty"`
	IsolateEmulatorThread *bool  `json:"isolateEmulatorThread,omitempty"`
	Realtime              bool   `json:"realtime,omitempty"`
	// IOThreadsPolicy is shared or auto. Default auto.
	IOThreadsPolicy string `json:"ioThreadsPolicy,omitempty"`
	// Image is a KubeVirt containerDisk image.
	Image string `json:"image,omitempty"`
	// Networks names SR-IOV networks of the cluster to attach.
	Networks []string `json:"networks,omitempty"`
}

// Pod is a low-latency test pod (oslat, cyclictest) placed on a node pool.
type Pod struct {
	Name     string `json:"name"`
	NodePool string `json:"nodePool"`
	// Test is oslat or cyclictest.
	Test   string `json:"test"`
	CPUs   int    `json:"cpus"`
	Memory string `json:"memory,omitempty"`
	// Duration of the measurement, e.g. 5m.
	Duration string   `json:"duration,omitempty"`
	Networks []string `json:"networks,omitempty"`
}

// PerfTests is the kube-burner Test → Change → Re-test of a cluster: the
// same jobs run before the PerformanceProfile is applied and after.
type PerfTests struct {
	// Namespace runs the kube-burner Jobs. Default lowlat-perf.
	Namespace string `json:"namespace,omitempty"`
	// NodePool the test pods and VMs are placed on.
	NodePool string `json:"nodePool"`
	// PodDensity creates this many pods per iteration; 0 skips the job.
	PodDensity int `json:"podDensity,omitempty"`
	// VMILatency starts this many VMIs; 0 skips the job.
	VMILatency int `json:"vmiLatency,omitempty"`
	// Thresholds fail a run when a latency quantile exceeds them.
	Thresholds []Threshold `json:"thresholds,omitempty"`
}

// Threshold is kube-burner's measurement threshold.
type Threshold struct {
	// Measurement is podLatency or vmiLatency.
	Measurement   string `json:"measurement"`
	ConditionType string `json:"conditionType"`
	// Metric is P99, P95, P50, Avg or Max.
	Metric string `json:"metric"`
	// Threshold is a duration such as 5s.
	Threshold string `json:"threshold"`
}

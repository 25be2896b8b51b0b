package inventory

// Workload defaults, each with the reason it is the default.
const (
	// DefaultWorkloadsNamespace holds VMs, test pods and NADs.
	DefaultWorkloadsNamespace = "lowlat-workloads"
	// DefaultPerfNamespace holds the kube-burner Jobs and their config.
	DefaultPerfNamespace = "lowlat-perf"
	// DefaultIOThreadsPolicy auto gives each disk its own I/O thread up to
	// the vCPU count, keeping disk I/O off the vCPUs.
	DefaultIOThreadsPolicy = "auto"
	// DefaultPodMemory is ample for oslat and cyclictest, which allocate
	// almost nothing.
	DefaultPodMemory = "1Gi"
	// DefaultTestDuration is long enough to catch periodic noise (timers,
	// housekeeping) and short enough for a workshop.
	DefaultTestDuration = "5m"
)

// Images are the container images lowlat runs, each pinned to a tag (never
// latest) so that a render means the same thing next month.
const (
	// ImageFedoraContainerDisk boots in KubeVirt and reads cloud-init.
	// Source: github.com/kubevirt/containerdisks, which publishes one tag per
	// Fedora release at quay.io/containerdisks/fedora.
	ImageFedoraContainerDisk = "quay.io/containerdisks/fedora:43"
	// ImageKubeBurner runs the performance tests. Source: the v2.7.3 release
	// of github.com/kube-burner/kube-burner (Containerfile: entrypoint
	// /bin/kube-burner), published at quay.io/kube-burner/kube-burner.
	ImageKubeBurner = "quay.io/kube-burner/kube-burner:v2.7.3"
	// ImagePause is the container of the pod-density pods: it starts at once
	// and does nothing, so the job times the platform, not the app.
	// Source: registry.k8s.io/pause, the Kubernetes pause image.
	ImagePause = "registry.k8s.io/pause:3.10"
	// imageLatencyTests is the OpenShift latency test image, tagged per
	// OpenShift release (v4.19, v4.20, ...). It holds oslat and cyclictest
	// (the realtime-tests RPM) and the oslat-runner and cyclictest-runner
	// wrappers, which put the test's main thread on the pod's first CPU and
	// measure the others. Source: OpenShift documentation, "Running the
	// latency tests", and github.com/openshift-kni/cnf-tests (Dockerfile).
	// quay.io/container-perf-tools publishes only a latest tag.
	imageLatencyTests = "registry.redhat.io/openshift4/cnf-tests-rhel9:v"
)

// LatencyTestImage is the latency test image of an OpenShift release.
func LatencyTestImage(openshift string) string { return imageLatencyTests + openshift }

// defaultWorkloads fills a cluster's workload and perf test defaults. It runs
// before networks are defaulted, which take the workloads namespace.
func defaultWorkloads(c *Cluster, openshift string) {
	w := &c.Workloads
	if w.Namespace == "" {
		w.Namespace = DefaultWorkloadsNamespace
	}
	for i := range w.VMs {
		defaultVM(&w.VMs[i])
	}
	for i := range w.Pods {
		defaultTestPod(&w.Pods[i], openshift)
	}
	if pt := c.PerfTests; pt != nil {
		if pt.Namespace == "" {
			pt.Namespace = DefaultPerfNamespace
		}
		if pt.KeepRuns == 0 {
			pt.KeepRuns = DefaultKeepRuns
		}
		if pt.KeepResults == 0 {
			pt.KeepResults = DefaultKeepResults
		}
	}
}

// Retention of perf runs: a few finished runs for their pods' logs, many
// results (a few KiB each) for lowlat results history.
const (
	DefaultKeepRuns    = 5
	DefaultKeepResults = 50
)

func defaultVM(vm *VM) {
	if vm.IsolateEmulatorThread == nil {
		// QEMU's emulator thread otherwise shares the vCPUs' cores and
		// interrupts them.
		vm.IsolateEmulatorThread = ptr(true)
	}
	if vm.IOThreadsPolicy == "" {
		vm.IOThreadsPolicy = DefaultIOThreadsPolicy
	}
	if vm.Image == "" {
		vm.Image = ImageFedoraContainerDisk
	}
}

func defaultTestPod(p *Pod, openshift string) {
	if p.Memory == "" {
		p.Memory = DefaultPodMemory
	}
	if p.Duration == "" {
		p.Duration = DefaultTestDuration
	}
	if p.Image == "" {
		p.Image = LatencyTestImage(openshift)
	}
}

package inventory

import (
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/lowlat/lowlat/generator/catalog"
)

// Enumerations of workload fields.
var (
	// KubeVirtHugepageSizes are the page sizes a VM or pod asks for; the
	// PerformanceProfile spells them 1G and 2M (see ProfilePageSize).
	KubeVirtHugepageSizes = []string{"1Gi", "2Mi"}
	// IOThreadsPolicies lowlat renders; supplementalPool needs a thread count
	// and adds CPUs, which the CPU checks do not model.
	IOThreadsPolicies = []string{"auto", "shared"}
	// LatencyTests are the test pods lowlat renders.
	LatencyTests = []string{"cyclictest", "oslat"}
	// ProfilePageSize maps a Kubernetes hugepage size to the
	// PerformanceProfile's name for it.
	ProfilePageSize = map[string]string{"1Gi": "1G", "2Mi": "2M"}
	// vfioPCI is the SR-IOV device type KubeVirt passes through to a VM.
	vfioPCI = "vfio-pci"
)

// Pool returns the cluster's node pool of that name, or nil.
func (c *Cluster) Pool(name string) *NodePool {
	for i := range c.NodePools {
		if c.NodePools[i].Name == name {
			return &c.NodePools[i]
		}
	}
	return nil
}

// Network returns the cluster's network of that name, or nil.
func (c *Cluster) Network(name string) *Network {
	for i := range c.Networks {
		if c.Networks[i].Name == name {
			return &c.Networks[i]
		}
	}
	return nil
}

// EmulatorCPUs is how many dedicated CPUs KubeVirt adds to a VM for its
// emulator thread: none unless isolated; with alignCPUs, two when the vCPU
// count is even so that the total is even (KubeVirt's
// EmulatorThreadCompleteToEvenParity), else one.
func EmulatorCPUs(vm *VM, alignCPUs bool) int {
	switch {
	case vm.IsolateEmulatorThread == nil || !*vm.IsolateEmulatorThread:
		return 0
	case alignCPUs && vm.CPUs%2 == 0:
		return 2
	}
	return 1
}

// validateRelease rejects an OpenShift version the operator table does not
// cover: lowlat would not know which channel to subscribe to.
func validateRelease(version string, p *field.Path) field.ErrorList {
	if !openshiftVersion.MatchString(version) {
		return nil // reported by the format check
	}
	for _, v := range catalog.SupportedVersions() {
		if v == version {
			return nil
		}
	}
	return fieldErr(field.NotSupported(p, version, catalog.SupportedVersions()))
}

// validateWorkloads checks a cluster's VMs, test pods and perf tests; fits
// checks them against the resolved pools.
func validateWorkloads(c *Cluster, p *field.Path) field.ErrorList {
	wp := p.Child("workloads")
	errs := dnsLabel(wp.Child("namespace"), c.Workloads.Namespace)
	vmNames, podNames := uniqueNames{}, uniqueNames{}
	for i := range c.Workloads.VMs {
		vp := wp.Child("vms").Index(i)
		errs = append(errs, vmNames.add(vp.Child("name"), c.Workloads.VMs[i].Name)...)
		errs = append(errs, validateVM(c, &c.Workloads.VMs[i], vp)...)
	}
	errs = append(errs, oneVMPool(c.Workloads.VMs, wp.Child("vms"))...)
	for i := range c.Workloads.Pods {
		pp := wp.Child("pods").Index(i)
		errs = append(errs, podNames.add(pp.Child("name"), c.Workloads.Pods[i].Name)...)
		errs = append(errs, validateTestPod(c, &c.Workloads.Pods[i], pp)...)
	}
	errs = append(errs, validateApps(c, wp.Child("apps"))...)
	return append(errs, validatePerfTests(c, p.Child("perfTests"))...)
}

func validateVM(c *Cluster, vm *VM, p *field.Path) field.ErrorList {
	errs := dnsLabel(p.Child("name"), vm.Name)
	if vm.CPUs < 1 {
		errs = append(errs, field.Invalid(p.Child("cpus"), vm.CPUs, fmt.Sprintf("VM %s needs at least 1 vCPU", vm.Name)))
	}
	_, memErrs := quantity(p.Child("memory"), vm.Memory)
	errs = append(errs, memErrs...)
	errs = append(errs, oneOf(p.Child("ioThreadsPolicy"), vm.IOThreadsPolicy, IOThreadsPolicies)...)
	if vm.HugepageSize != "" {
		errs = append(errs, oneOf(p.Child("hugepageSize"), vm.HugepageSize, KubeVirtHugepageSizes)...)
	} else if vm.Realtime {
		errs = append(errs, field.Invalid(p.Child("realtime"), true, fmt.Sprintf(
			"VM %s needs hugepageSize: KubeVirt allows realtime only with guest NUMA passthrough, which needs hugepages", vm.Name)))
	}
	errs = append(errs, pinnedImage(p.Child("image"), vm.Image)...)
	errs = append(errs, attachable(c, vm.NodePool, vm.Networks, p.Child("networks"), "VM "+vm.Name, true)...)
	errs = append(errs, validateNeeds(vm.Needs, p.Child("needs"))...)
	return append(errs, derivablePool(c, vm.NodePool, vm.Needs, p.Child("nodePool"))...)
}

// fitVM checks that a valid VM fits its resolved pool.
func fitVM(c *Cluster, vm *VM, p *field.Path) field.ErrorList {
	np := c.Pool(vm.NodePool)
	if np == nil || np.Host() == nil {
		return nil
	}
	mem, _ := quantity(p.Child("memory"), vm.Memory)
	d := demand{
		what: "VM " + vm.Name, cpus: vm.CPUs + EmulatorCPUs(vm, c.Workloads.AlignCPUs),
		request: vm.CPUs, cpuNote: vmCPUNote(vm, c.Workloads.AlignCPUs), parityHint: vmParityHint(vm),
		pageSize: vm.HugepageSize, memory: mem,
	}
	return d.fits(np, p.Child("cpus"), p.Child("memory"), p.Child("hugepageSize"))
}

func vmParityHint(vm *VM) string {
	if EmulatorCPUs(vm, false) == 0 {
		return "use an even number of vCPUs"
	}
	return "use one vCPU more or fewer (the emulator thread takes one CPU of its own), or set workloads.alignCPUs"
}

func vmCPUNote(vm *VM, align bool) string {
	switch n := EmulatorCPUs(vm, align); n {
	case 0:
		return fmt.Sprintf("%d vCPUs", vm.CPUs)
	case 1:
		return fmt.Sprintf("%d vCPUs + 1 emulator thread CPU", vm.CPUs)
	default:
		return fmt.Sprintf("%d vCPUs + %d emulator CPUs (alignCPUs)", vm.CPUs, n)
	}
}

// oneVMPool keeps a cluster's VMs on one pool: KubeVirt has no per-VM
// runtime class, OpenShift Virtualization sets one for every VM's pod
// (HyperConverged spec.defaultRuntimeClass), and a pool's runtime class only
// schedules onto that pool.
func oneVMPool(vms []VM, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := 1; i < len(vms); i++ {
		if vms[i].NodePool != vms[0].NodePool {
			errs = append(errs, field.Invalid(p.Index(i).Child("nodePool"), vms[i].NodePool, fmt.Sprintf(
				"VM %s is on pool %s but VM %s is on %s: OpenShift Virtualization gives every VM the same runtime class "+
					"(HyperConverged spec.defaultRuntimeClass), so a cluster's VMs share one pool",
				vms[i].Name, vms[i].NodePool, vms[0].Name, vms[0].NodePool)))
		}
	}
	return errs
}

func validateTestPod(c *Cluster, pod *Pod, p *field.Path) field.ErrorList {
	errs := dnsLabel(p.Child("name"), pod.Name)
	errs = append(errs, oneOf(p.Child("test"), pod.Test, LatencyTests)...)
	if pod.CPUs < 2 {
		errs = append(errs, field.Invalid(p.Child("cpus"), pod.CPUs, fmt.Sprintf(
			"pod %s needs at least 2 CPUs: the test's main thread takes one and measures the others", pod.Name)))
	}
	_, memErrs := quantity(p.Child("memory"), pod.Memory)
	errs = append(errs, memErrs...)
	errs = append(errs, testDuration(p.Child("duration"), pod.Duration)...)
	errs = append(errs, pinnedImage(p.Child("image"), pod.Image)...)
	errs = append(errs, attachable(c, pod.NodePool, pod.Networks, p.Child("networks"), "pod "+pod.Name, false)...)
	if hp := pod.Hugepages; hp != nil {
		errs = append(errs, oneOf(p.Child("hugepages", "size"), hp.Size, KubeVirtHugepageSizes)...)
		_, hpErrs := quantity(p.Child("hugepages", "memory"), hp.Memory)
		errs = append(errs, hpErrs...)
	}
	errs = append(errs, validateNeeds(pod.Needs, p.Child("needs"))...)
	return append(errs, derivablePool(c, pod.NodePool, pod.Needs, p.Child("nodePool"))...)
}

// derivablePool checks a VM's or pod's pool; with needs it may be left
// for the advice to choose, which reports a need no pool serves.
func derivablePool(c *Cluster, name string, needs *Needs, p *field.Path) field.ErrorList {
	if name == "" && needs != nil {
		return nil
	}
	_, errs := poolOf(c, name, p)
	return errs
}

// fitTestPod checks that a valid test pod fits its resolved pool.
func fitTestPod(c *Cluster, pod *Pod, p *field.Path) field.ErrorList {
	np := c.Pool(pod.NodePool)
	if np == nil || np.Host() == nil {
		return nil
	}
	d := demand{what: "pod " + pod.Name, request: pod.CPUs, cpus: pod.CPUs,
		cpuNote: fmt.Sprintf("%d CPUs", pod.CPUs), parityHint: "use an even number of CPUs"}
	if hp := pod.Hugepages; hp != nil {
		d.pageSize = hp.Size
		d.memory, _ = quantity(p.Child("hugepages", "memory"), hp.Memory)
	}
	return d.fits(np, p.Child("cpus"), p.Child("hugepages", "memory"), p.Child("hugepages", "size"))
}

func poolOf(c *Cluster, name string, p *field.Path) (*NodePool, field.ErrorList) {
	if name == "" {
		return nil, fieldErr(field.Required(p, "name a node pool of this cluster"))
	}
	if np := c.Pool(name); np != nil {
		return np, nil
	}
	return nil, fieldErr(field.NotFound(p, name))
}

// attachable checks that each network exists and is configured on the pool.
// KubeVirt passes an SR-IOV VF through to a VM, so a VM's networks must bind
// their VFs to vfio-pci.
func attachable(c *Cluster, pool string, names []string, p *field.Path, who string, vm bool) field.ErrorList {
	var errs field.ErrorList
	for i, name := range names {
		n := c.Network(name)
		switch {
		case n == nil:
			errs = append(errs, field.NotFound(p.Index(i), name))
		case len(n.NodePools) > 0 && !containsString(n.NodePools, pool):
			errs = append(errs, field.Invalid(p.Index(i), name, fmt.Sprintf(
				"%s runs on pool %s, but network %s is only configured on %s", who, pool, name, strings.Join(n.NodePools, ", "))))
		case vm && n.DeviceType != vfioPCI:
			errs = append(errs, field.Invalid(p.Index(i), name, fmt.Sprintf(
				"%s cannot use network %s: KubeVirt passes SR-IOV VFs through to VMs, which needs deviceType %s, not %q",
				who, name, vfioPCI, n.DeviceType)))
		}
	}
	return errs
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// quantity parses a required, positive Kubernetes quantity.
func quantity(p *field.Path, s string) (resource.Quantity, field.ErrorList) {
	if s == "" {
		return resource.Quantity{}, fieldErr(field.Required(p, "a quantity such as 4Gi"))
	}
	q, err := resource.ParseQuantity(s)
	if err != nil {
		return q, fieldErr(field.Invalid(p, s, "must be a quantity such as 4Gi"))
	}
	if q.Sign() <= 0 {
		return q, fieldErr(field.Invalid(p, s, "must be positive"))
	}
	return q, nil
}

func positiveDuration(p *field.Path, s string) field.ErrorList {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return fieldErr(field.Invalid(p, s, "must be a positive duration such as 5m or 30s"))
	}
	return nil
}

// testDuration is a whole number of seconds at least: the test runners
// take seconds.
func testDuration(p *field.Path, s string) field.ErrorList {
	if d, err := time.ParseDuration(s); err == nil && d < time.Second {
		return fieldErr(field.Invalid(p, s, "must be at least 1s"))
	}
	return positiveDuration(p, s)
}

// pinnedImage requires a tag other than latest, or a digest, so that a
// render keeps running the image it was reviewed with.
func pinnedImage(p *field.Path, image string) field.ErrorList {
	if image == "" {
		return fieldErr(field.Required(p, "an image with a pinned tag or digest"))
	}
	if strings.Contains(image, "@sha256:") {
		return nil
	}
	name := image[strings.LastIndex(image, "/")+1:]
	_, tag, tagged := strings.Cut(name, ":")
	if !tagged || tag == "" || tag == "latest" {
		return fieldErr(field.Invalid(p, image, "must pin a tag other than latest, or a digest"))
	}
	return nil
}

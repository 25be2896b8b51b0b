package advise

import (
	"fmt"
	"slices"
	"strings"
)

// BusyPollMicros is the busy-poll budget the advice gives: the value Red
// Hat's low-latency tuning guides use for net.core.busy_read and
// net.core.busy_poll, long enough to catch the next packet of a busy
// stream, short enough not to burn a core on an idle socket.
const BusyPollMicros = 50

// knobs derives the tuning on the chosen pool, keeping what the inventory
// sets.
func (d *decider) knobs(pl *Pool) {
	rendered := d.w.Kind != KindApp
	if d.need(CPU) >= Medium || d.need(NetworkLatency) == High || d.w.Kind != KindApp {
		d.dedicatedCPUs(pl, rendered)
	}
	d.hugepages(pl, rendered)
	d.sriov(pl, rendered)
	d.busyPoll()
	d.localStorage(pl)
	if d.a.Platform == VM {
		d.emulatorThread(rendered)
		d.ioThreads(rendered)
	}
}

func (d *decider) dedicatedCPUs(pl *Pool, rendered bool) {
	why := "needs.cpu " + d.need(CPU).String() + ": pinned whole cores, no other process on them (the seed's CPU pinning)"
	switch {
	case d.w.Kind == KindVM && d.need(CPU) < Medium:
		why = "lowlat gives every VM dedicated CPUs (dedicatedCpuPlacement), which the other low-latency knobs build on"
	case d.w.Kind == KindPod && d.need(CPU) < Medium:
		why = "lowlat runs every latency test pod on whole dedicated CPUs: the test measures them"
	case d.need(CPU) < Medium:
		why = "needs.networkLatency high: a busy-polling thread needs a core of its own"
	}
	d.knob(Knob{Name: "dedicatedCPUs", Value: "whole cores, Guaranteed QoS (integer CPU requests = limits, memory requests = limits)",
		Reason: why + "; the kubelet's static CPU manager pins only Guaranteed pods, and single-numa-node adds full-pcpus-only",
		Source: Derived, Rendered: rendered})
	d.knob(Knob{Name: "runtimeClass", Value: "performance-" + pl.Name,
		Reason: "the pool's PerformanceProfile runtime class carries the CRI-O hooks that honour the annotations below",
		Source: Derived, Rendered: rendered})
	var ann, what []string
	because := func(need string) string {
		if d.w.Kind != KindApp {
			return " (as on every VM and test pod lowlat renders)"
		}
		return " (" + need + " high)"
	}
	if d.need(CPU) == High || d.w.Kind != KindApp {
		ann = append(ann, "cpu-load-balancing.crio.io", "cpu-quota.crio.io")
		what = append(what, "the scheduler's load balancing and CFS quota throttling"+because("needs.cpu"))
	}
	if d.need(NetworkLatency) == High || d.w.Kind != KindApp {
		ann = append(ann, "irq-load-balancing.crio.io")
		what = append(what, "device interrupts"+because("needs.networkLatency"))
	}
	if len(ann) > 0 {
		d.knob(Knob{Name: "crioAnnotations", Value: strings.Join(ann, ", ") + `: "disable"`,
			Reason: "keeps " + strings.Join(what, " and ") + " off the dedicated cores",
			Source: Derived, Rendered: rendered})
	}
}

// hugepages picks the page size: 1Gi where the pool reserves it and memory
// is a high need (fewest TLB misses), else the size the pool has.
func (d *decider) hugepages(pl *Pool, rendered bool) {
	want := d.need(Memory) >= Medium || d.a.Platform == VM && d.need(CPU) == High
	if set := d.w.Set.HugepageSize; set != "" {
		d.knob(Knob{Name: "hugepages", Value: set, Reason: "hugepageSize set in the inventory", Source: Explicit, Rendered: rendered})
		d.numa(set, Explicit, rendered)
		return
	}
	if !want || len(pl.HugepageSizes) == 0 {
		return
	}
	size := pl.HugepageSizes[0]
	if slices.Contains(pl.HugepageSizes, "1Gi") {
		size = "1Gi"
	}
	why := fmt.Sprintf("needs.memory %s: hugepages cut TLB misses (the seed's memory mitigation); pool %s reserves %s", d.need(Memory), pl.Name, strings.Join(pl.HugepageSizes, ", "))
	if d.need(Memory) < Medium {
		why = "needs.cpu high: guest NUMA passthrough, which KubeVirt allows only with hugepages"
	}
	d.knob(Knob{Name: "hugepages", Value: size, Reason: why, Source: Derived, Rendered: rendered})
	d.numa(size, Derived, rendered)
}

// numa is the guest's NUMA topology: lowlat renders guestMappingPassthrough
// with every hugepage-backed VM, the seed's "NUMA topology in-guest".
func (d *decider) numa(size string, src Source, rendered bool) {
	if d.a.Platform != VM {
		d.knob(Knob{Name: "numa", Value: "single NUMA node", Reason: "the pool's single-numa-node policy admits the pod's CPUs and " + size + " pages from one NUMA node", Source: src, Rendered: rendered})
		return
	}
	d.knob(Knob{Name: "numa", Value: "guestMappingPassthrough", Reason: "with " + size + " hugepages the guest sees the host NUMA node its vCPUs and memory come from", Source: src, Rendered: rendered})
}

// sriov attaches one SR-IOV network for a network latency need, unless the
// inventory names networks. A VM can only take vfio-pci networks.
func (d *decider) sriov(pl *Pool, rendered bool) {
	if set := d.w.Set.Networks; len(set) > 0 {
		d.knob(Knob{Name: "sriov", Value: strings.Join(set, ", "), Reason: "networks set in the inventory", Source: Explicit, Rendered: rendered})
		return
	}
	if d.need(NetworkLatency) < Medium {
		return
	}
	nets := sriovFor(*pl, d.a.Platform)
	switch {
	case len(nets) == 0:
		return // a high need excluded the pool already; a medium one is only a wish
	case len(nets) > 1 && d.w.Kind != KindApp:
		d.problem("networks", fmt.Sprintf("needs.networkLatency %s asks for an SR-IOV network, and pool %s has %d a %s can use (%s): name one in networks",
			d.need(NetworkLatency), pl.Name, len(nets), d.a.Platform, strings.Join(nets, ", ")))
		return
	}
	d.knob(Knob{Name: "sriov", Value: nets[0], Reason: fmt.Sprintf("needs.networkLatency %s: an ENA VF of its own, off the cluster network's overlay (the seed's SR-IOV / PCI passthrough)", d.need(NetworkLatency)),
		Source: Derived, Rendered: rendered})
}

func (d *decider) busyPoll() {
	if d.need(NetworkLatency) < High {
		return
	}
	k := Knob{Name: "busyPoll", Source: Derived,
		Value:  fmt.Sprintf("SO_BUSY_POLL %d µs on the application's sockets", BusyPollMicros),
		Reason: "needs.networkLatency high (the seed's busy poll); net.core.busy_read and busy_poll are node-wide sysctls, not among the namespaced sysctls a pod may set, so the application asks per socket"}
	if d.a.Platform == VM {
		k.Value = fmt.Sprintf("net.core.busy_read=%d, net.core.busy_poll=%d in the guest", BusyPollMicros, BusyPollMicros)
		k.Reason = "needs.networkLatency high (the seed's busy poll); the guest's kernel owns the passed-through VF, so the guest sets them"
	}
	d.knob(k)
}

func (d *decider) localStorage(pl *Pool) {
	l := max(d.need(DiskLatency), d.need(DiskThroughput))
	if l < Medium || !pl.InstanceType.LocalNVMe() {
		return
	}
	d.knob(Knob{Name: "localStorage", Value: storage(pl.InstanceType.NVMeDisks, pl.InstanceType.NVMeDiskGB) + " instance store",
		Reason: fmt.Sprintf("needs.diskLatency %s, needs.diskThroughput %s: NVMe on the host's PCIe bus instead of EBS over the network; lowlat renders no storage, so provision it with LVM Storage or local volumes",
			d.need(DiskLatency), d.need(DiskThroughput)), Source: Derived})
}

// emulatorThread isolates QEMU's emulator thread for a high CPU or network
// latency need: otherwise it runs on the vCPUs' cores and interrupts them.
func (d *decider) emulatorThread(rendered bool) {
	if set := d.w.Set.IsolateEmulatorThread; set != nil {
		d.knob(Knob{Name: "isolateEmulatorThread", Value: fmt.Sprint(*set), Reason: "isolateEmulatorThread set in the inventory", Source: Explicit, Rendered: rendered})
		if !*set && d.emulatorNeed() != "" {
			d.problem("isolateEmulatorThread", fmt.Sprintf("isolateEmulatorThread: false contradicts %s, which asks for an isolated emulator thread (QEMU's emulator thread otherwise runs on the vCPUs' cores and interrupts them): remove isolateEmulatorThread or lower the need", d.emulatorNeed()))
		}
		return
	}
	if need := d.emulatorNeed(); need != "" {
		d.knob(Knob{Name: "isolateEmulatorThread", Value: "true", Source: Derived, Rendered: rendered,
			Reason: need + ": QEMU's emulator thread (device emulation, timers) otherwise runs on the vCPUs' cores and interrupts them; it costs one more dedicated CPU"})
		return
	}
	d.knob(Knob{Name: "isolateEmulatorThread", Value: "false", Source: Derived, Rendered: rendered,
		Reason: "needs.cpu and needs.networkLatency are below high: the emulator thread may share the vCPUs' cores, which saves a dedicated CPU"})
}

func (d *decider) emulatorNeed() string {
	switch {
	case d.need(CPU) == High:
		return "needs.cpu high"
	case d.need(NetworkLatency) == High:
		return "needs.networkLatency high"
	}
	return ""
}

// ioThreads gives each disk its own I/O thread for a disk latency need, the
// seed's "increase threads".
func (d *decider) ioThreads(rendered bool) {
	need := max(d.need(DiskLatency), d.need(DiskThroughput))
	if set := d.w.Set.IOThreadsPolicy; set != "" {
		d.knob(Knob{Name: "ioThreadsPolicy", Value: set, Reason: "ioThreadsPolicy set in the inventory", Source: Explicit, Rendered: rendered})
		if set == "shared" && need >= Medium {
			d.problem("ioThreadsPolicy", fmt.Sprintf("ioThreadsPolicy: shared puts every disk on one I/O thread, which contradicts needs.diskLatency %s / needs.diskThroughput %s: use auto (a thread per disk) or lower the needs",
				d.need(DiskLatency), d.need(DiskThroughput)))
		}
		return
	}
	if need >= Medium {
		d.knob(Knob{Name: "ioThreadsPolicy", Value: "auto", Source: Derived, Rendered: rendered,
			Reason: "disk needs medium or more: an I/O thread per disk, up to the vCPU count, keeps disk I/O off the vCPUs (the seed's more I/O threads)"})
		return
	}
	d.knob(Knob{Name: "ioThreadsPolicy", Value: "shared", Source: Derived, Rendered: rendered,
		Reason: "no disk need: one I/O thread serves every disk"})
}

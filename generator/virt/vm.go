package virt

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/tuning"
)

// CRIOAnnotations are the annotations that make CRI-O, under a
// PerformanceProfile's runtime class, keep the kernel scheduler's load
// balancing, CFS quota throttling and device interrupts off a workload's
// exclusive CPUs. KubeVirt copies a VMI's annotations to its launcher pod.
func CRIOAnnotations() map[string]string {
	return map[string]string{
		"cpu-load-balancing.crio.io": "disable",
		"cpu-quota.crio.io":          "disable",
		"irq-load-balancing.crio.io": "disable",
	}
}

// Run strategies of a VirtualMachine.
const (
	RunStrategyHalted = "Halted"
	RunStrategyAlways = "Always"
)

// Names of the VM's fixed devices.
const (
	podNetwork    = "default"
	bootDisk      = "containerdisk"
	cloudInitDisk = "cloudinitdisk"
)

// VirtualMachineFor renders a workloads VM, stopped: starting a VM pins CPUs
// and takes hugepages, which is the user's call (virtctl start).
func VirtualMachineFor(c *inventory.Cluster, vm *inventory.VM) (VirtualMachine, error) {
	np := c.Pool(vm.NodePool)
	if np == nil {
		return VirtualMachine{}, fmt.Errorf("VM %s: no node pool %q in cluster %s", vm.Name, vm.NodePool, c.Name)
	}
	out := vmFor(vm, np, RunStrategyHalted)
	out.Metadata.Namespace = c.Workloads.Namespace
	out.Spec.Template.Spec.Volumes = append(out.Spec.Template.Spec.Volumes, cloudInit(vm.SSHAuthorizedKeys))
	out.Spec.Template.Spec.Domain.Devices.Disks = append(out.Spec.Template.Spec.Domain.Devices.Disks,
		Disk{Name: cloudInitDisk, Disk: DiskTarget{Bus: "virtio"}})
	for _, name := range vm.Networks {
		n := c.Network(name)
		if n == nil {
			return VirtualMachine{}, fmt.Errorf("VM %s: no network %q in cluster %s", vm.Name, name, c.Name)
		}
		attachSRIOV(&out.Spec.Template.Spec, name, NADName(c, n))
	}
	return out, nil
}

// LatencyVirtualMachine renders a running copy of a workloads VM's shape for
// kube-burner's vmi-latency job: no SR-IOV interfaces (the job starts many
// VMs and would run out of VFs) and no namespace (kube-burner sets it).
func LatencyVirtualMachine(c *inventory.Cluster, vm *inventory.VM, name string) (VirtualMachine, error) {
	np := c.Pool(vm.NodePool)
	if np == nil {
		return VirtualMachine{}, fmt.Errorf("VM %s: no node pool %q in cluster %s", vm.Name, vm.NodePool, c.Name)
	}
	out := vmFor(vm, np, RunStrategyAlways)
	out.Metadata.Name = name
	out.Metadata.Labels = kube.Labels(map[string]string{"lowlat.dev/template": vm.Name})
	out.Spec.Template.Metadata.Labels = nil
	return out, nil
}

// NADName is how a Multus network names a NetworkAttachmentDefinition:
// "<namespace>/<name>". The NAD is named after the network and lives in the
// network's namespace, by default the workloads namespace.
func NADName(c *inventory.Cluster, n *inventory.Network) string {
	ns := n.Namespace
	if ns == "" {
		ns = c.Workloads.Namespace
	}
	return ns + "/" + n.Name
}

// vmFor renders the low-latency shape every lowlat VM shares.
func vmFor(vm *inventory.VM, np *inventory.NodePool, runStrategy string) VirtualMachine {
	return VirtualMachine{
		TypeMeta: kube.TypeMeta{APIVersion: "kubevirt.io/v1", Kind: "VirtualMachine"},
		Metadata: kube.ObjectMeta{Name: vm.Name, Labels: kube.Labels(nil)},
		Spec: VMSpec{
			RunStrategy: runStrategy,
			Template: VMITemplate{
				Metadata: kube.TemplateMeta{
					Labels:      map[string]string{"kubevirt.io/domain": vm.Name},
					Annotations: CRIOAnnotations(),
				},
				Spec: VMISpec{
					Domain:       domain(vm),
					NodeSelector: tuning.NodeSelector(np),
					Tolerations:  tuning.Tolerations(np),
					Networks:     []Network{{Name: podNetwork, Pod: &Empty{}}},
					Volumes:      []Volume{{Name: bootDisk, ContainerDisk: &ContainerDisk{Image: vm.Image}}},
				},
			},
		},
	}
}

// domain pins each vCPU to a CPU of its own. Requests equal limits so the
// launcher pod is Guaranteed, which dedicated CPUs need; KubeVirt adds the
// emulator thread's CPU and the memory overhead to both.
func domain(vm *inventory.VM) Domain {
	cpus := strconv.Itoa(vm.CPUs)
	res := map[string]string{"cpu": cpus, "memory": vm.Memory}
	d := Domain{
		CPU: CPU{
			Cores: vm.CPUs, Sockets: 1, Threads: 1,
			DedicatedCPUPlacement: true,
			IsolateEmulatorThread: vm.IsolateEmulatorThread != nil && *vm.IsolateEmulatorThread,
		},
		Resources: kube.ResourceRequirements{Requests: res, Limits: copyMap(res)},
		Devices: Devices{
			Disks:      []Disk{{Name: bootDisk, Disk: DiskTarget{Bus: "virtio"}}},
			Interfaces: []Interface{{Name: podNetwork, Masquerade: &Empty{}}},
		},
		IOThreadsPolicy: vm.IOThreadsPolicy,
	}
	if vm.HugepageSize != "" {
		// Guest NUMA passthrough needs hugepages; with both, the guest sees
		// the host NUMA node its CPUs and memory come from.
		d.Memory = &Memory{Hugepages: &Hugepages{PageSize: vm.HugepageSize}}
		d.CPU.NUMA = &NUMA{GuestMappingPassthrough: &Empty{}}
	}
	if vm.Realtime {
		d.CPU.Realtime = &Realtime{}
	}
	return d
}

func attachSRIOV(spec *VMISpec, name, nad string) {
	spec.Domain.Devices.Interfaces = append(spec.Domain.Devices.Interfaces, Interface{Name: name, SRIOV: &Empty{}})
	spec.Networks = append(spec.Networks, Network{Name: name, Multus: &MultusNetwork{NetworkName: nad}})
}

// cloudInit turns off password logins and installs the SSH keys for the
// image's default user; without keys the VM is reached with virtctl console.
func cloudInit(keys []string) Volume {
	var b strings.Builder
	b.WriteString("#cloud-config\nssh_pwauth: false\n")
	if len(keys) > 0 {
		b.WriteString("ssh_authorized_keys:\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "- %s\n", strconv.Quote(k))
		}
	}
	return Volume{Name: cloudInitDisk, CloudInitNoCloud: &CloudInitNoCloud{UserData: b.String()}}
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// VMComments say why a VM's emulator thread has a CPU of its own, and
// what it costs; a VM that shares it gets none.
func VMComments(c *inventory.Cluster, vm *inventory.VM) []manifest.Comment {
	n := inventory.EmulatorCPUs(vm, c.Workloads.AlignCPUs)
	if n == 0 {
		return nil
	}
	cost := "1 dedicated CPU"
	if n > 1 {
		cost = fmt.Sprintf("%d dedicated CPUs (alignCPUs keeps the total even)", n)
	}
	return []manifest.Comment{{Path: []string{"spec", "template", "spec", "domain", "cpu", "isolateEmulatorThread"}, Text: fmt.Sprintf(
		"QEMU's emulator thread (device emulation, timers) gets %s beside the %d vCPUs, %d in all on the pool's isolated CPUs,\n"+
			"so it never preempts a vCPU; workloads.vms[].isolateEmulatorThread: false would share the vCPUs' CPUs instead",
		cost, vm.CPUs, vm.CPUs+n)}}
}

package schema

import (
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation/field"
	kubevirtv1 "kubevirt.io/api/core/v1"
)

// checkVirtualMachine decodes a VM into KubeVirt's own Go types and applies
// the rules virt-api's VMI admission enforces for low-latency VMs: dedicated
// CPUs need Guaranteed resources; emulator thread isolation, NUMA
// passthrough and realtime build on dedicated CPUs; hugepages divide guest
// memory; every interface has its network.
func checkVirtualMachine(obj map[string]any) (field.ErrorList, bool) {
	data, err := json.Marshal(obj)
	if err != nil {
		return field.ErrorList{field.InternalError(nil, err)}, false
	}
	var vm kubevirtv1.VirtualMachine
	if err := json.Unmarshal(data, &vm); err != nil {
		return field.ErrorList{field.Invalid(field.NewPath("spec"), "", fmt.Sprintf("does not decode into kubevirt.io/api VirtualMachine: %v", err))}, false
	}
	if vm.Spec.Template == nil {
		return field.ErrorList{field.Required(field.NewPath("spec", "template"), "a VirtualMachine needs a template")}, true
	}
	p := field.NewPath("spec", "template", "spec")
	spec := &vm.Spec.Template.Spec
	errs := checkCPUPlacement(spec, p.Child("domain"))
	errs = append(errs, checkHugepages(spec, p.Child("domain"))...)
	return append(errs, checkInterfaces(spec, p)...), true
}

func checkCPUPlacement(spec *kubevirtv1.VirtualMachineInstanceSpec, p *field.Path) field.ErrorList {
	cpu := spec.Domain.CPU
	if cpu == nil {
		return nil
	}
	cp := p.Child("cpu")
	var errs field.ErrorList
	dedicated := cpu.DedicatedCPUPlacement
	if cpu.IsolateEmulatorThread && !dedicated {
		errs = append(errs, field.Forbidden(cp.Child("isolateEmulatorThread"), "needs dedicatedCpuPlacement: true"))
	}
	passthrough := cpu.NUMA != nil && cpu.NUMA.GuestMappingPassthrough != nil
	if passthrough {
		if !dedicated {
			errs = append(errs, field.Forbidden(cp.Child("numa", "guestMappingPassthrough"), "needs dedicatedCpuPlacement: true"))
		}
		if spec.Domain.Memory == nil || spec.Domain.Memory.Hugepages == nil {
			errs = append(errs, field.Required(p.Child("memory", "hugepages"), "guestMappingPassthrough needs hugepages"))
		}
	}
	if cpu.Realtime != nil && (!dedicated || !passthrough) {
		errs = append(errs, field.Forbidden(cp.Child("realtime"), "needs dedicatedCpuPlacement: true and numa.guestMappingPassthrough"))
	}
	if dedicated {
		errs = append(errs, checkGuaranteed(spec.Domain.Resources, p.Child("resources"))...)
	}
	return errs
}

// checkGuaranteed: with dedicated CPUs the virt-launcher pod must be
// Guaranteed QoS, so CPU request and limit are equal whole CPUs and memory
// request equals limit.
func checkGuaranteed(r kubevirtv1.ResourceRequirements, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, hasReq := r.Requests[name]
		limit, hasLimit := r.Limits[name]
		if hasReq && hasLimit && req.Cmp(limit) != 0 {
			errs = append(errs, field.Invalid(p.Child("requests").Key(string(name)), req.String(),
				fmt.Sprintf("must equal limits.%s (%s) with dedicatedCpuPlacement", name, limit.String())))
		}
		for _, q := range []struct {
			set   bool
			field string
			v     resource.Quantity
		}{{hasReq, "requests", req}, {hasLimit, "limits", limit}} {
			if name == corev1.ResourceCPU && q.set && q.v.MilliValue()%1000 != 0 {
				errs = append(errs, field.Invalid(p.Child(q.field).Key("cpu"), q.v.String(), "must be a whole number of CPUs with dedicatedCpuPlacement"))
			}
		}
	}
	return errs
}

// hugepageSizes are the page sizes KubeVirt accepts on x86_64.
var hugepageSizes = []string{"2Mi", "1Gi"}

func checkHugepages(spec *kubevirtv1.VirtualMachineInstanceSpec, p *field.Path) field.ErrorList {
	mem := spec.Domain.Memory
	if mem == nil || mem.Hugepages == nil {
		return nil
	}
	hp := p.Child("memory", "hugepages", "pageSize")
	size, err := resource.ParseQuantity(mem.Hugepages.PageSize)
	if err != nil || (mem.Hugepages.PageSize != hugepageSizes[0] && mem.Hugepages.PageSize != hugepageSizes[1]) {
		return field.ErrorList{field.NotSupported(hp, mem.Hugepages.PageSize, hugepageSizes)}
	}
	guest, where := guestMemory(spec)
	if guest == nil {
		return field.ErrorList{field.Required(p.Child("memory", "guest"), "hugepages need the guest memory size (memory.guest or resources.requests.memory)")}
	}
	if guest.Value()%size.Value() != 0 {
		return field.ErrorList{field.Invalid(p.Child(where[0], where[1:]...), guest.String(), fmt.Sprintf("guest memory must be a multiple of the hugepage size %s", mem.Hugepages.PageSize))}
	}
	return nil
}

// guestMemory is the VM's memory size and the field it came from.
func guestMemory(spec *kubevirtv1.VirtualMachineInstanceSpec) (*resource.Quantity, []string) {
	if m := spec.Domain.Memory; m != nil && m.Guest != nil {
		return m.Guest, []string{"memory", "guest"}
	}
	if q, ok := spec.Domain.Resources.Requests[corev1.ResourceMemory]; ok {
		return &q, []string{"resources", "requests", "memory"}
	}
	return nil, nil
}

// checkInterfaces: every interface names a network of the VM, and SR-IOV
// interfaces sit on Multus networks (a NetworkAttachmentDefinition).
func checkInterfaces(spec *kubevirtv1.VirtualMachineInstanceSpec, p *field.Path) field.ErrorList {
	networks := map[string]kubevirtv1.Network{}
	var errs field.ErrorList
	for i, n := range spec.Networks {
		networks[n.Name] = n
		if n.Multus != nil && n.Multus.NetworkName == "" {
			errs = append(errs, field.Required(p.Child("networks").Index(i).Child("multus", "networkName"), "names the NetworkAttachmentDefinition"))
		}
	}
	for i, iface := range spec.Domain.Devices.Interfaces {
		ip := p.Child("domain", "devices", "interfaces").Index(i)
		n, ok := networks[iface.Name]
		switch {
		case !ok:
			errs = append(errs, field.NotFound(ip.Child("name"), iface.Name))
		case iface.SRIOV != nil && n.Multus == nil:
			errs = append(errs, field.Invalid(ip.Child("sriov"), "{}", fmt.Sprintf("an SR-IOV interface needs a multus network; network %q is not one", iface.Name)))
		}
	}
	return errs
}

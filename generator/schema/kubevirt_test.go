package schema

import (
	"strings"
	"testing"
)

// lowLatencyVM is a VM as facts/kubevirt-lowlatency.md describes it:
// dedicated CPUs, an isolated emulator thread, NUMA passthrough, realtime,
// 1Gi hugepages and an SR-IOV interface on a Multus network.
const lowLatencyVM = `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: rt-vm, namespace: lowlat-workloads}
spec:
  runStrategy: Always
  template:
    metadata:
      annotations: {cpu-load-balancing.crio.io: disable, cpu-quota.crio.io: disable, irq-load-balancing.crio.io: disable}
    spec:
      domain:
        cpu: {cores: 4, sockets: 1, threads: 1, dedicatedCpuPlacement: true, isolateEmulatorThread: true, numa: {guestMappingPassthrough: {}}, realtime: {}}
        memory: {guest: 4Gi, hugepages: {pageSize: 1Gi}}
        ioThreadsPolicy: auto
        resources: {requests: {cpu: "4", memory: 4Gi}, limits: {cpu: "4", memory: 4Gi}}
        devices:
          disks: [{name: root, disk: {bus: virtio}}]
          interfaces: [{name: default, masquerade: {}}, {name: sriov-a, sriov: {}}]
      networks: [{name: default, pod: {}}, {name: sriov-a, multus: {networkName: sriov-a}}]
      volumes: [{name: root, containerDisk: {image: quay.io/containerdisks/fedora:41}}]
`

// vmWith replaces one line of lowLatencyVM.
func vmWith(old, new string) string {
	if !strings.Contains(lowLatencyVM, old) {
		panic("vmWith: no " + old)
	}
	return strings.Replace(lowLatencyVM, old, new, 1)
}

const vmCPU = "cpu: {cores: 4, sockets: 1, threads: 1, dedicatedCpuPlacement: true, isolateEmulatorThread: true, numa: {guestMappingPassthrough: {}}, realtime: {}}"

func TestVirtualMachines(t *testing.T) {
	runCases(t, []validationCase{
		{"a low-latency VM is valid", lowLatencyVM, nil},
		{"ioThreadsPolicy under cpu is an unknown field", vmWith("cpu: {cores: 4,", "cpu: {ioThreadsPolicy: auto, cores: 4,"),
			[]string{"case.yaml:11: VirtualMachine/rt-vm: spec.template.spec.domain.cpu.ioThreadsPolicy: Forbidden: unknown field"}},
		{"a run strategy given as a number is a type error", vmWith("runStrategy: Always", "runStrategy: 1"),
			[]string{`spec.runStrategy: Invalid value: "integer": spec.runStrategy in body must be of type string`}},
		{"an isolated emulator thread needs dedicated CPUs", vmWith(vmCPU, "cpu: {cores: 4, isolateEmulatorThread: true}"),
			[]string{"spec.template.spec.domain.cpu.isolateEmulatorThread: Forbidden: needs dedicatedCpuPlacement: true"}},
		{"NUMA passthrough needs dedicated CPUs and hugepages", vmWith("memory: {guest: 4Gi, hugepages: {pageSize: 1Gi}}", "memory: {guest: 4Gi}"),
			[]string{"spec.template.spec.domain.memory.hugepages: Required value: guestMappingPassthrough needs hugepages"}},
		{"realtime needs NUMA passthrough", vmWith(vmCPU, "cpu: {cores: 4, dedicatedCpuPlacement: true, realtime: {}}"),
			[]string{"spec.template.spec.domain.cpu.realtime: Forbidden: needs dedicatedCpuPlacement: true and numa.guestMappingPassthrough"}},
		{"dedicated CPUs need equal whole CPU requests and limits", vmWith(`requests: {cpu: "4", memory: 4Gi}, limits: {cpu: "4", memory: 4Gi}`, `requests: {cpu: 3500m, memory: 4Gi}, limits: {cpu: "4", memory: 8Gi}`),
			[]string{`spec.template.spec.domain.resources.requests[cpu]: Invalid value: "3500m": must equal limits.cpu (4)`,
				`spec.template.spec.domain.resources.requests[cpu]: Invalid value: "3500m": must be a whole number of CPUs`,
				`spec.template.spec.domain.resources.requests[memory]: Invalid value: "4Gi": must equal limits.memory (8Gi)`}},
		{"guest memory must be a multiple of the page size", vmWith("guest: 4Gi,", "guest: 3584Mi,"),
			[]string{`spec.template.spec.domain.memory.guest: Invalid value: "3584Mi": guest memory must be a multiple of the hugepage size 1Gi`}},
		{"a page size KubeVirt does not know is rejected", vmWith("pageSize: 1Gi", "pageSize: 1G"),
			[]string{`spec.template.spec.domain.memory.hugepages.pageSize: Unsupported value: "1G": supported values: "2Mi", "1Gi"`}},
		{"an SR-IOV interface needs a multus network", vmWith("{name: sriov-a, multus: {networkName: sriov-a}}", "{name: sriov-a, pod: {}}"),
			[]string{`spec.template.spec.domain.devices.interfaces[1].sriov: Invalid value: "{}": an SR-IOV interface needs a multus network`}},
		{"a CEL rule of the schema is evaluated", vmWith("volumes: [{name: root, containerDisk: {image: quay.io/containerdisks/fedora:41}}]",
			"volumes: [{name: root, containerDisk: {image: quay.io/containerdisks/fedora:41}}, {name: data, containerPath: {path: data, readOnly: true}}]"),
			[]string{"spec.template.spec.volumes[1].containerPath.path: Invalid value: \"string\": path must be absolute (start with '/')"}},
		{"an interface without its network is rejected", vmWith(", {name: sriov-a, multus: {networkName: sriov-a}}", ""),
			[]string{`spec.template.spec.domain.devices.interfaces[1].name: Not found: "sriov-a"`}},
	})
}

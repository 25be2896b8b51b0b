package virt

import "github.com/lowlat/lowlat/generator/kube"

// VirtualMachine is kubevirt.io/v1 VirtualMachine.
type VirtualMachine struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta `json:"metadata"`
	Spec          VMSpec          `json:"spec"`
}

// VMSpec is the part of VirtualMachineSpec lowlat sets.
type VMSpec struct {
	// RunStrategy Halted keeps the VM stopped until someone starts it;
	// Always starts it at once.
	RunStrategy string      `json:"runStrategy"`
	Template    VMITemplate `json:"template"`
}

// VMITemplate is VirtualMachineInstanceTemplateSpec.
type VMITemplate struct {
	Metadata kube.TemplateMeta `json:"metadata"`
	Spec     VMISpec           `json:"spec"`
}

// VMISpec is the part of VirtualMachineInstanceSpec lowlat sets.
type VMISpec struct {
	Domain       Domain            `json:"domain"`
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`
	Tolerations  []kube.Toleration `json:"tolerations,omitempty"`
	Networks     []Network         `json:"networks"`
	Volumes      []Volume          `json:"volumes"`
}

// Domain is DomainSpec.
type Domain struct {
	CPU       CPU                       `json:"cpu"`
	Memory    *Memory                   `json:"memory,omitempty"`
	Resources kube.ResourceRequirements `json:"resources"`
	Devices   Devices                   `json:"devices"`
	// IOThreadsPolicy sits on the domain, not under cpu.
	IOThreadsPolicy string `json:"ioThreadsPolicy,omitempty"`
}

// CPU is the guest CPU topology and its pinning.
type CPU struct {
	Cores                 int       `json:"cores"`
	Sockets               int       `json:"sockets"`
	Threads               int       `json:"threads"`
	DedicatedCPUPlacement bool      `json:"dedicatedCpuPlacement"`
	IsolateEmulatorThread bool      `json:"isolateEmulatorThread,omitempty"`
	NUMA                  *NUMA     `json:"numa,omitempty"`
	Realtime              *Realtime `json:"realtime,omitempty"`
}

// NUMA maps the guest's NUMA topology onto the host's.
type NUMA struct {
	GuestMappingPassthrough *Empty `json:"guestMappingPassthrough,omitempty"`
}

// Realtime runs the vCPUs with a real-time scheduling policy (all vCPUs:
// no mask).
type Realtime struct{}

// Empty is an API field whose presence is the setting, written {}.
type Empty struct{}

// Memory is the guest memory's backing.
type Memory struct {
	Hugepages *Hugepages `json:"hugepages,omitempty"`
}

// Hugepages names the page size backing the guest memory.
type Hugepages struct {
	PageSize string `json:"pageSize"`
}

// Devices are the guest's disks and network interfaces.
type Devices struct {
	Disks      []Disk      `json:"disks"`
	Interfaces []Interface `json:"interfaces"`
}

// Disk attaches a volume as a virtio disk.
type Disk struct {
	Name string     `json:"name"`
	Disk DiskTarget `json:"disk"`
}

// DiskTarget is the disk's bus.
type DiskTarget struct {
	Bus string `json:"bus"`
}

// Interface binds a network to the guest: masquerade for the pod network,
// sriov for a VF passed through.
type Interface struct {
	Name       string `json:"name"`
	Masquerade *Empty `json:"masquerade,omitempty"`
	SRIOV      *Empty `json:"sriov,omitempty"`
}

// Network is the pod network or a Multus network.
type Network struct {
	Name   string         `json:"name"`
	Pod    *Empty         `json:"pod,omitempty"`
	Multus *MultusNetwork `json:"multus,omitempty"`
}

// MultusNetwork names a NetworkAttachmentDefinition as <namespace>/<name>.
type MultusNetwork struct {
	NetworkName string `json:"networkName"`
}

// Volume is a containerDisk or a cloud-init NoCloud volume.
type Volume struct {
	Name             string            `json:"name"`
	ContainerDisk    *ContainerDisk    `json:"containerDisk,omitempty"`
	CloudInitNoCloud *CloudInitNoCloud `json:"cloudInitNoCloud,omitempty"`
}

// ContainerDisk boots the guest from a disk image in a container image.
type ContainerDisk struct {
	Image string `json:"image"`
}

// CloudInitNoCloud passes cloud-init user data.
type CloudInitNoCloud struct {
	UserData string `json:"userData"`
}

package tuning

import (
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/lowlat/lowlat/generator/kube"
)

// PerformanceProfile is performance.openshift.io/v2 PerformanceProfile.
type PerformanceProfile struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta `json:"metadata"`
	Spec          ProfileSpec     `json:"spec"`
}

// ProfileSpec is the part of PerformanceProfileSpec lowlat sets.
type ProfileSpec struct {
	CPU                       CPU               `json:"cpu"`
	Hugepages                 *HugePages        `json:"hugepages,omitempty"`
	MachineConfigPoolSelector map[string]string `json:"machineConfigPoolSelector"`
	NodeSelector              map[string]string `json:"nodeSelector"`
	NUMA                      NUMA              `json:"numa"`
	RealTimeKernel            RealTimeKernel    `json:"realTimeKernel"`
	WorkloadHints             WorkloadHints     `json:"workloadHints"`
	AdditionalKernelArgs      []string          `json:"additionalKernelArgs,omitempty"`
}

// CPU is the CPU partition as Linux cpulists.
type CPU struct {
	Reserved string `json:"reserved"`
	Isolated string `json:"isolated"`
	Offlined string `json:"offlined,omitempty"`
}

// HugePages is the hugepage configuration.
type HugePages struct {
	DefaultHugePagesSize string     `json:"defaultHugepagesSize,omitempty"`
	Pages                []HugePage `json:"pages"`
}

// HugePage is a count of pages of one size, optionally on one NUMA node.
type HugePage struct {
	Size  string `json:"size"`
	Count int    `json:"count"`
	Node  *int   `json:"node,omitempty"`
}

// NUMA is the NUMA configuration.
type NUMA struct {
	TopologyPolicy string `json:"topologyPolicy"`
}

// RealTimeKernel switches the node to the kernel-rt.
type RealTimeKernel struct {
	Enabled bool `json:"enabled"`
}

// WorkloadHints are written out in full, so a reviewer sees every hint.
type WorkloadHints struct {
	RealTime              bool `json:"realTime"`
	HighPowerConsumption  bool `json:"highPowerConsumption"`
	PerPodPowerManagement bool `json:"perPodPowerManagement"`
}

// MachineConfigPool is machineconfiguration.openshift.io/v1 MachineConfigPool.
type MachineConfigPool struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta `json:"metadata"`
	Spec          MCPSpec         `json:"spec"`
}

// MCPSpec selects the pool's machine configs and nodes.
type MCPSpec struct {
	MachineConfigSelector kube.LabelSelector  `json:"machineConfigSelector"`
	NodeSelector          kube.LabelSelector  `json:"nodeSelector"`
	MaxUnavailable        *intstr.IntOrString `json:"maxUnavailable,omitempty"`
	// Paused holds the pool at the config its nodes run: the Machine
	// Config Operator renders new configs for it but moves no node.
	Paused bool `json:"paused,omitempty"`
}

// MachineConfig is machineconfiguration.openshift.io/v1 MachineConfig with
// an Ignition config: lowlat's markers carry its version only.
type MachineConfig struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta   `json:"metadata"`
	Spec          MachineConfigSpec `json:"spec"`
}

// MachineConfigSpec holds the Ignition config the MCO merges into a pool's
// rendered config.
type MachineConfigSpec struct {
	Config Ignition `json:"config"`
}

// Ignition is the part of an Ignition 3.x config lowlat writes.
type Ignition struct {
	Ignition IgnitionVersion `json:"ignition"`
}

// IgnitionVersion is the config's spec version.
type IgnitionVersion struct {
	Version string `json:"version"`
}

package tuning

import (
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
)

// Label keys of the MachineConfig operator and the node-role convention.
const (
	roleLabel     = "machineconfiguration.openshift.io/role"
	poolLabelBase = "pools.operator.machineconfiguration.openshift.io/"
	nodeRoleBase  = "node-role.kubernetes.io/"
)

// NodeSelector is the label set that selects a pool's nodes.
func NodeSelector(np *inventory.NodePool) map[string]string {
	return map[string]string{nodeRoleBase + np.NodeRole: ""}
}

// Tolerations let lowlat's own pods and VMs onto the pool's nodes despite
// the taints its MachineSets give them; nil for an untainted pool. The
// platform's daemons need none: the SR-IOV config daemon and device plugin
// tolerate every taint (sriov-network-operator v1.6.0
// bindata/manifests/daemon/daemonset.yaml, plugins/sriov-device-plugin.yaml),
// as do the machine config and tuned daemons.
func Tolerations(np *inventory.NodePool) []kube.Toleration {
	var out []kube.Toleration
	for _, t := range np.Taints {
		out = append(out, kube.Toleration{Key: t.Key, Operator: "Equal", Value: t.Value, Effect: t.Effect})
	}
	return out
}

// RuntimeClass is the RuntimeClass the Node Tuning Operator creates for a
// profile; low-latency pods and VMs name it.
func RuntimeClass(np *inventory.NodePool) string { return "performance-" + ProfileName(np) }

// ProfileName is the PerformanceProfile's name: the pool's name.
func ProfileName(np *inventory.NodePool) string { return np.Name }

// CanarySelector is the label set that selects a pool's canary node.
func CanarySelector(np *inventory.NodePool) map[string]string {
	return map[string]string{nodeRoleBase + np.CanaryRole(): ""}
}

// MachineConfigPoolFor renders the pool that applies worker machine configs
// plus the role's own (which the PerformanceProfile produces) to its nodes.
//
// A pool with a canary starts paused and leaves its canary node out: the
// Machine Config Operator refuses a node that two custom pools select
// (machine-config-operator release-4.20 pkg/helpers/helpers.go
// GetPrimaryPoolForNode: "belongs to 2 custom roles"), and the Node Tuning Operator wants exactly one
// pool whose node selector matches the profile's (cluster-node-tuning-operator
// pkg/performanceprofile/controller/performanceprofile/resources/resources.go
// GetMachineConfigPoolByProfile), which this pool stays. The canary
// controller (package canary) owns spec.paused from then on; the tuning
// Application ignores the field.
func MachineConfigPoolFor(np *inventory.NodePool) MachineConfigPool {
	nodes := kube.LabelSelector{MatchLabels: NodeSelector(np)}
	if np.Canary {
		nodes.MatchExpressions = []kube.LabelSelectorRequirement{{Key: nodeRoleBase + np.CanaryRole(), Operator: "DoesNotExist"}}
	}
	return MachineConfigPool{
		TypeMeta: kube.TypeMeta{APIVersion: "machineconfiguration.openshift.io/v1", Kind: "MachineConfigPool"},
		Metadata: kube.ObjectMeta{
			Name:   np.NodeRole,
			Labels: kube.Labels(map[string]string{roleLabel: np.NodeRole, poolLabelBase + np.NodeRole: ""}),
		},
		Spec: MCPSpec{
			MachineConfigSelector: roleConfigs(np),
			NodeSelector:          nodes,
			MaxUnavailable:        &np.MaxUnavailable.IntOrString,
			Paused:                np.Canary,
		},
	}
}

// CanaryPoolFor renders the pool of a pool's canary node: the same machine
// configs as the pool (the worker's and the role's), so that the Machine
// Config Operator renders them into the same content, whose hash ends both
// pools' rendered config names (pkg/controller/render/hash.go
// getMachineConfigHashedName hashes the merged spec only). It carries no
// pools.operator label, so the profile's machine config pool selector
// still finds the one pool; the Node Tuning Operator's machine config
// label matching (pkg/operator/mc.go getPoolsForMachineConfigLabels) tunes
// the canary node with the pool's TuneD profile all the same.
func CanaryPoolFor(np *inventory.NodePool) MachineConfigPool {
	one := intstr.FromInt32(1)
	return MachineConfigPool{
		TypeMeta: kube.TypeMeta{APIVersion: "machineconfiguration.openshift.io/v1", Kind: "MachineConfigPool"},
		Metadata: kube.ObjectMeta{
			Name:   np.CanaryRole(),
			Labels: kube.Labels(map[string]string{roleLabel: np.CanaryRole()}),
		},
		Spec: MCPSpec{
			MachineConfigSelector: roleConfigs(np),
			NodeSelector:          kube.LabelSelector{MatchLabels: CanarySelector(np)},
			MaxUnavailable:        &one,
		},
	}
}

// roleConfigs selects the worker machine configs and the role's own.
func roleConfigs(np *inventory.NodePool) kube.LabelSelector {
	return kube.LabelSelector{MatchExpressions: []kube.LabelSelectorRequirement{{
		Key: roleLabel, Operator: "In", Values: []string{"worker", np.NodeRole},
	}}}
}

// PerformanceProfileFor renders the pool's profile from its resolved host.
func PerformanceProfileFor(np *inventory.NodePool) PerformanceProfile {
	t, part := &np.Tuning, np.Host().Partition
	return PerformanceProfile{
		TypeMeta: kube.TypeMeta{APIVersion: "performance.openshift.io/v2", Kind: "PerformanceProfile"},
		Metadata: kube.ObjectMeta{Name: ProfileName(np), Labels: kube.Labels(nil)},
		Spec: ProfileSpec{
			CPU: CPU{
				Reserved: part.Reserved.String(),
				Isolated: part.Isolated.String(),
				Offlined: part.Offlined.String(),
			},
			Hugepages:                 hugepages(t),
			MachineConfigPoolSelector: map[string]string{poolLabelBase + np.NodeRole: ""},
			NodeSelector:              NodeSelector(np),
			NUMA:                      NUMA{TopologyPolicy: t.TopologyPolicy},
			RealTimeKernel:            RealTimeKernel{Enabled: t.RealTimeKernel},
			WorkloadHints: WorkloadHints{
				RealTime:              *t.WorkloadHints.RealTime,
				HighPowerConsumption:  t.WorkloadHints.HighPowerConsumption,
				PerPodPowerManagement: t.WorkloadHints.PerPodPowerManagement,
			},
			AdditionalKernelArgs: kernelArgs(t),
		},
	}
}

func hugepages(t *inventory.Tuning) *HugePages {
	if len(t.Hugepages) == 0 {
		return nil
	}
	hp := &HugePages{DefaultHugePagesSize: t.DefaultHugepagesSize}
	for _, p := range t.Hugepages {
		hp.Pages = append(hp.Pages, HugePage{Size: p.Size, Count: p.Count, Node: p.Node})
	}
	return hp
}

// kernelArgs adds nosmt when SMT is off: the partition then leaves every
// second sibling out of all CPU sets, and only nosmt keeps them offline.
func kernelArgs(t *inventory.Tuning) []string {
	args := append([]string(nil), t.AdditionalKernelArgs...)
	if !*t.SMT {
		args = append(args, "nosmt")
	}
	return args
}

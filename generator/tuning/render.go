package tuning

import (
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

// MachineConfigPoolFor renders the pool that applies worker machine configs
// plus the role's own (which the PerformanceProfile produces) to its nodes.
func MachineConfigPoolFor(np *inventory.NodePool) MachineConfigPool {
	return MachineConfigPool{
		TypeMeta: kube.TypeMeta{APIVersion: "machineconfiguration.openshift.io/v1", Kind: "MachineConfigPool"},
		Metadata: kube.ObjectMeta{
			Name:   np.NodeRole,
			Labels: kube.Labels(map[string]string{roleLabel: np.NodeRole, poolLabelBase + np.NodeRole: ""}),
		},
		Spec: MCPSpec{
			MachineConfigSelector: kube.LabelSelector{MatchExpressions: []kube.LabelSelectorRequirement{{
				Key: roleLabel, Operator: "In", Values: []string{"worker", np.NodeRole},
			}}},
			NodeSelector:   kube.LabelSelector{MatchLabels: NodeSelector(np)},
			MaxUnavailable: &np.MaxUnavailable.IntOrString,
		},
	}
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

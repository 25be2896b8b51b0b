package operators

import "github.com/lowlat/lowlat/generator/kube"

// SriovOperatorConfig is sriovnetwork.openshift.io/v1 SriovOperatorConfig.
type SriovOperatorConfig struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta         `json:"metadata"`
	Spec          SriovOperatorConfigSpec `json:"spec"`
}

// SriovOperatorConfigSpec is the part lowlat sets.
type SriovOperatorConfigSpec struct {
	// ConfigDaemonNodeSelector selects the nodes the config daemon runs on;
	// empty, the operator's default (every worker) applies.
	ConfigDaemonNodeSelector map[string]string `json:"configDaemonNodeSelector,omitempty"`
	EnableInjector           bool              `json:"enableInjector"`
	EnableOperatorWebhook    bool              `json:"enableOperatorWebhook"`
}

// SriovOperatorConfigName is the only name the operator reads.
const SriovOperatorConfigName = "default"

// SriovOperatorConfigFor runs the config daemon on the nodes every given
// selector selects (the labels they share). Pools select their nodes by
// distinct node-role labels, so two pools share none and the daemon falls
// back to the operator's default, every worker: tuned nodes keep their
// worker role, so they are covered either way. The injector adds the VF
// resource requests to pods that name an SR-IOV network, and the webhook
// rejects policies the operator cannot apply; the documented install
// enables both.
func SriovOperatorConfigFor(selectors []map[string]string) SriovOperatorConfig {
	return SriovOperatorConfig{
		TypeMeta: kube.TypeMeta{APIVersion: "sriovnetwork.openshift.io/v1", Kind: "SriovOperatorConfig"},
		Metadata: kube.ObjectMeta{Name: SriovOperatorConfigName, Namespace: SRIOV.Namespace, Labels: kube.Labels(nil)},
		Spec: SriovOperatorConfigSpec{
			ConfigDaemonNodeSelector: commonLabels(selectors),
			EnableInjector:           true,
			EnableOperatorWebhook:    true,
		},
	}
}

// commonLabels returns the key/value pairs present in every map; nil when
// there are none or no maps.
func commonLabels(maps []map[string]string) map[string]string {
	if len(maps) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, v := range maps[0] {
		out[k] = v
	}
	for _, m := range maps[1:] {
		for k, v := range out {
			if w, ok := m[k]; !ok || w != v {
				delete(out, k)
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// HyperConverged is hco.kubevirt.io/v1beta1 HyperConverged, as served by
// the HyperConverged Cluster Operator v1.15 and later (OpenShift
// Virtualization 4.19 and later), which is what lowlat targets.
type HyperConverged struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta    `json:"metadata"`
	Spec          HyperConvergedSpec `json:"spec"`
}

// HyperConvergedSpec is the part lowlat sets.
type HyperConvergedSpec struct {
	// DefaultRuntimeClass is the RuntimeClass of every VM's launcher pod:
	// KubeVirt has no per-VM runtime class (HCO v1.10+).
	DefaultRuntimeClass string                      `json:"defaultRuntimeClass,omitempty"`
	FeatureGates        *HyperConvergedFeatureGates `json:"featureGates,omitempty"`
}

// HyperConvergedFeatureGates are the HCO feature gates lowlat sets. There is
// no NUMA gate: guest NUMA passthrough is generally available in KubeVirt
// (the NUMA gate is GA in kubevirt.io/kubevirt v1.8) and HCO no longer
// exposes or sets it.
type HyperConvergedFeatureGates struct {
	// AlignCPUs (HCO v1.11+, Developer Preview) makes KubeVirt add one or two
	// CPUs for an isolated emulator thread so that a VM's dedicated CPU
	// total is even, i.e. whole cores on SMT hosts.
	AlignCPUs *bool `json:"alignCPUs,omitempty"`
}

// HyperConvergedName and the namespace are what the OpenShift
// Virtualization console and documentation expect.
const HyperConvergedName = "kubevirt-hyperconverged"

// VirtSettings are the cluster-wide VM settings the workloads need.
type VirtSettings struct {
	// RuntimeClass is the RuntimeClass of the pool the VMs run on; "" when
	// the cluster has no VMs.
	RuntimeClass string
	AlignCPUs    bool
}

// HyperConvergedFor renders the HyperConverged CR.
func HyperConvergedFor(s VirtSettings) HyperConverged {
	hc := HyperConverged{
		TypeMeta: kube.TypeMeta{APIVersion: "hco.kubevirt.io/v1beta1", Kind: "HyperConverged"},
		Metadata: kube.ObjectMeta{Name: HyperConvergedName, Namespace: Virtualization.Namespace, Labels: kube.Labels(nil)},
		Spec:     HyperConvergedSpec{DefaultRuntimeClass: s.RuntimeClass},
	}
	if s.AlignCPUs {
		on := true
		hc.Spec.FeatureGates = &HyperConvergedFeatureGates{AlignCPUs: &on}
	}
	return hc
}

package schema

import (
	"embed"
	"fmt"
	"sort"
	"strings"
)

// Format says how a source file holds its schema.
type Format string

const (
	// FormatCRD is a CustomResourceDefinition YAML file.
	FormatCRD Format = "crd"
	// FormatGoString is an openAPIV3Schema YAML document held in a Go string
	// map entry (KubeVirt generates its CRD schemas into Go code and ships no
	// CRD files).
	FormatGoString Format = "go-string"
	// FormatGoType is a built-in kind checked by strict decoding into its Go
	// type; there is no schema file.
	FormatGoType Format = "go-type"
)

// Source is where the schema of one kind comes from.
type Source struct {
	Group string // API group; "" for the core group
	Kind  string
	// Module and Version pin the Go module that ships the schema.
	Module  string
	Version string
	// Path is the file inside the module, or for FormatGoType the package.
	Path   string
	Format Format
	// Key names the Go map entry that holds the schema (FormatGoString).
	Key string
	// File is the copy under crds/ that lowlat embeds; "" for FormatGoType.
	File string
	// NoSumDB marks modules the checksum database has no entry for, so the
	// refresh downloads them with GONOSUMDB.
	NoSumDB bool
	// Note records what a reader of a validation result should know.
	Note string
	// Newer lists fields that upstream added after the pinned schema: they
	// are accepted instead of reported as unknown, and an e2e harness adds
	// them to the CRD it installs. Only for sources whose newer releases the
	// Go module proxy does not serve.
	Newer []NewerField
}

// NewerField is a field path (spec.x.y) and its OpenAPI type.
type NewerField struct {
	Path string
	Type string
}

// Module versions, one place. Refresh crds/ with `go generate
// ./generator/schema` after changing one. Versions of modules that lowlat
// also requires (k8s.io/api, kubevirt.io/api, kustomize) must match go.mod;
// a test checks that.
const (
	ntoModule          = "github.com/openshift/cluster-node-tuning-operator"
	ntoVersion         = "v0.0.0-20260209053755-f5fe4460e852" // release-4.22
	openshiftAPI       = "github.com/openshift/api"
	openshiftAPIV      = "v0.0.0-20251120040117-916c7003ed78"
	sriovModule        = "github.com/k8snetworkplumbingwg/sriov-network-operator"
	sriovVersion       = "v1.6.0"
	nadModule          = "github.com/k8snetworkplumbingwg/network-attachment-definition-client"
	nadVersion         = "v1.7.7"
	hcoModule          = "github.com/kubevirt/hyperconverged-cluster-operator"
	hcoVersion         = "v1.8.0"
	kubevirtModule     = "kubevirt.io/kubevirt"
	kubevirtV          = "v1.8.0"
	olmModule          = "github.com/operator-framework/api"
	olmVersion         = "v0.38.0"
	argoModule         = "github.com/argoproj/argo-cd/v3"
	argoVersion        = "v3.3.19"
	argoOperatorModule = "github.com/argoproj-labs/argocd-operator"
	argoOperatorV      = "v0.14.0"
	k8sAPIModule       = "k8s.io/api"
	k8sAPIVersion      = "v0.34.3"
	promOperatorModule = "github.com/prometheus-operator/prometheus-operator"
	promOperatorV      = "v0.94.1"
	kustomizeAPI       = "sigs.k8s.io/kustomize/api"
	kustomizeAPIV      = "v0.21.2"
)

// servedByTheTwin notes kinds lowlat does not render but the rehearsal's
// cluster serves, as OpenShift or an operator would.
const servedByTheTwin = "served by the cluster twin of lowlat rehearse; lowlat renders none"

const mcoCRDs = "machineconfiguration/v1/zz_generated.crd-manifests/"

var sources = []Source{
	crd("performance.openshift.io", "PerformanceProfile", ntoModule, ntoVersion, "manifests/20-performance-profile.crd.yaml", true),
	crd("machineconfiguration.openshift.io", "MachineConfigPool", openshiftAPI, openshiftAPIV, mcoCRDs+"0000_80_machine-config_01_machineconfigpools.crd.yaml", false),
	crd("machineconfiguration.openshift.io", "MachineConfig", openshiftAPI, openshiftAPIV, mcoCRDs+"0000_80_machine-config_01_machineconfigs.crd.yaml", false),
	withNote(crd("machineconfiguration.openshift.io", "KubeletConfig", openshiftAPI, openshiftAPIV, mcoCRDs+"0000_80_machine-config_01_kubeletconfigs.crd.yaml", false), servedByTheTwin),
	withNote(crd("machine.openshift.io", "MachineSet", openshiftAPI, openshiftAPIV, "machine/v1beta1/zz_generated.crd-manifests/0000_10_machine-api_01_machinesets-Default.crd.yaml", false),
		"the AWS provider config is decoded strictly into openshift/api machine/v1beta1 AWSMachineProviderConfig, with the machine webhook's errors"),
	withNote(crd("sriovnetwork.openshift.io", "SriovNetworkNodeState", sriovModule, sriovVersion, "config/crd/bases/sriovnetwork.openshift.io_sriovnetworknodestates.yaml", false), servedByTheTwin),
	crd("sriovnetwork.openshift.io", "SriovNetworkNodePolicy", sriovModule, sriovVersion, "config/crd/bases/sriovnetwork.openshift.io_sriovnetworknodepolicies.yaml", false),
	crd("sriovnetwork.openshift.io", "SriovOperatorConfig", sriovModule, sriovVersion, "config/crd/bases/sriovnetwork.openshift.io_sriovoperatorconfigs.yaml", false),
	crd("sriovnetwork.openshift.io", "SriovNetwork", sriovModule, sriovVersion, "config/crd/bases/sriovnetwork.openshift.io_sriovnetworks.yaml", false),
	crd("k8s.cni.cncf.io", "NetworkAttachmentDefinition", nadModule, nadVersion, "artifacts/networks-crd.yaml", false),
	withNewer(withNote(crd("hco.kubevirt.io", "HyperConverged", hcoModule, hcoVersion, "deploy/crds/hco00.crd.yaml", true),
		"HCO v1.8.0 (2022) is the newest version the Go module proxy serves; of the fields added since, only those in Newer are accepted"),
		// spec.defaultRuntimeClass arrived in HCO v1.10 and
		// spec.featureGates.alignCPUs in v1.11; OpenShift Virtualization
		// 4.19+ ships HCO v1.15+.
		NewerField{"spec.defaultRuntimeClass", "string"}, NewerField{"spec.featureGates.alignCPUs", "boolean"}),
	{Group: "kubevirt.io", Kind: "VirtualMachine", Module: kubevirtModule, Version: kubevirtV,
		Path: "pkg/virt-operator/resource/generate/components/validations_generated.go", Format: FormatGoString,
		Key: "virtualmachine", File: fileName("kubevirt.io", "VirtualMachine"),
		Note: "KubeVirt ships its CRD schemas as Go strings; the admission rules of low-latency VMs are checked as well"},
	{Group: "kubevirt.io", Kind: "VirtualMachineInstance", Module: kubevirtModule, Version: kubevirtV,
		Path: "pkg/virt-operator/resource/generate/components/validations_generated.go", Format: FormatGoString,
		Key: "virtualmachineinstance", File: fileName("kubevirt.io", "VirtualMachineInstance"), Note: servedByTheTwin},
	crd("operators.coreos.com", "Subscription", olmModule, olmVersion, "crds/operators.coreos.com_subscriptions.yaml", false),
	crd("operators.coreos.com", "OperatorGroup", olmModule, olmVersion, "crds/operators.coreos.com_operatorgroups.yaml", false),
	withNote(crd("argoproj.io", "ArgoCD", argoOperatorModule, argoOperatorV, "config/crd/bases/argoproj.io_argocds.yaml", true),
		"the ArgoCD CR of the argocd-operator, which OpenShift GitOps is built on"),
	crd("argoproj.io", "Application", argoModule, argoVersion, "manifests/crds/application-crd.yaml", false),
	crd("argoproj.io", "ApplicationSet", argoModule, argoVersion, "manifests/crds/applicationset-crd.yaml", false),
	crd("argoproj.io", "AppProject", argoModule, argoVersion, "manifests/crds/appproject-crd.yaml", false),
	withNote(crd("monitoring.coreos.com", "PrometheusRule", promOperatorModule, promOperatorV, "example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml", false),
		"the Prometheus Operator's CRD, which OpenShift's monitoring stack serves; every expression is also parsed by promtool in make e2e"),
	goType("", "ConfigMap", k8sAPIModule, k8sAPIVersion, "core/v1"),
	goType("", "Namespace", k8sAPIModule, k8sAPIVersion, "core/v1"),
	goType("", "PersistentVolumeClaim", k8sAPIModule, k8sAPIVersion, "core/v1"),
	goType("", "Pod", k8sAPIModule, k8sAPIVersion, "core/v1"),
	goType("", "Secret", k8sAPIModule, k8sAPIVersion, "core/v1"),
	goType("", "Service", k8sAPIModule, k8sAPIVersion, "core/v1"),
	goType("", "ServiceAccount", k8sAPIModule, k8sAPIVersion, "core/v1"),
	goType("batch", "Job", k8sAPIModule, k8sAPIVersion, "batch/v1"),
	goType("batch", "CronJob", k8sAPIModule, k8sAPIVersion, "batch/v1"),
	goType("admissionregistration.k8s.io", "ValidatingAdmissionPolicy", k8sAPIModule, k8sAPIVersion, "admissionregistration/v1"),
	goType("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", k8sAPIModule, k8sAPIVersion, "admissionregistration/v1"),
	goType("rbac.authorization.k8s.io", "ClusterRole", k8sAPIModule, k8sAPIVersion, "rbac/v1"),
	goType("rbac.authorization.k8s.io", "ClusterRoleBinding", k8sAPIModule, k8sAPIVersion, "rbac/v1"),
	goType("rbac.authorization.k8s.io", "Role", k8sAPIModule, k8sAPIVersion, "rbac/v1"),
	goType("rbac.authorization.k8s.io", "RoleBinding", k8sAPIModule, k8sAPIVersion, "rbac/v1"),
	goType("kustomize.config.k8s.io", "Kustomization", kustomizeAPI, kustomizeAPIV, "types"),
}

func crd(group, kind, module, version, p string, noSumDB bool) Source {
	return Source{Group: group, Kind: kind, Module: module, Version: version, Path: p,
		Format: FormatCRD, File: fileName(group, kind), NoSumDB: noSumDB}
}

// fileName names a kind's copy under crds/.
func fileName(group, kind string) string { return group + "_" + strings.ToLower(kind) + ".yaml" }

func goType(group, kind, module, version, pkg string) Source {
	return Source{Group: group, Kind: kind, Module: module, Version: version, Path: pkg, Format: FormatGoType}
}

func withNewer(s Source, fields ...NewerField) Source {
	s.Newer = fields
	return s
}

func withNote(s Source, note string) Source {
	s.Note = note
	return s
}

// Sources lists where every kind lowlat can validate takes its schema from,
// sorted by group and kind.
func Sources() []Source {
	out := append([]Source(nil), sources...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Group != out[j].Group {
			return out[i].Group < out[j].Group
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

// String names the source as module@version path.
func (s Source) String() string { return fmt.Sprintf("%s@%s %s", s.Module, s.Version, s.Path) }

//go:embed crds/*.yaml
var crdFiles embed.FS

// File returns the embedded copy of a source's schema file.
func File(s Source) ([]byte, error) {
	if s.File == "" {
		return nil, fmt.Errorf("%s %s has no schema file: it is checked against its Go type %s", s.Group, s.Kind, s)
	}
	return crdFiles.ReadFile("crds/" + s.File)
}

// FileHeader is the comment that starts each copy under crds/, naming where
// it was copied from.
func FileHeader(s Source) string {
	origin := s.String()
	if s.Key != "" {
		origin += " [" + s.Key + "]"
	}
	return "# Source: " + origin + "\n# Copied by `go generate ./generator/schema`; do not edit.\n"
}

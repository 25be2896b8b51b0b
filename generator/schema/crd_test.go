package schema

import "testing"

const performanceProfile = `apiVersion: performance.openshift.io/v2
kind: PerformanceProfile
metadata: {name: cnf-c5}
spec:
  cpu: {reserved: "0-1,48-49", isolated: "2-47,50-95"}
  hugepages:
    defaultHugepagesSize: 1G
    pages: [{size: 1G, count: 16, node: 0}]
  machineConfigPoolSelector: {machineconfiguration.openshift.io/role: cnf-c5}
  nodeSelector: {node-role.kubernetes.io/cnf-c5: ""}
  numa: {topologyPolicy: single-numa-node}
  realTimeKernel: {enabled: false}
  workloadHints: {realTime: true, highPowerConsumption: false, perPodPowerManagement: false}
`

func TestTuningKinds(t *testing.T) {
	runCases(t, []validationCase{
		{"a complete performance profile is valid", performanceProfile, nil},
		{"a profile without reserved CPUs is rejected", `apiVersion: performance.openshift.io/v2
kind: PerformanceProfile
metadata: {name: p}
spec: {cpu: {isolated: "2-3"}, nodeSelector: {a: b}}`, []string{"case.yaml:4: PerformanceProfile/p: spec.cpu.reserved: Required value"}},
		{"a hugepage count given as a string is a type error", `apiVersion: performance.openshift.io/v2
kind: PerformanceProfile
metadata: {name: p}
spec:
  cpu: {reserved: "0", isolated: "1"}
  nodeSelector: {a: b}
  hugepages: {pages: [{size: 1G, count: "16"}]}`, []string{"spec.hugepages.pages[0].count: Invalid value: \"string\": spec.hugepages.pages[0].count in body must be of type integer"}},
		{"a misplaced field under cpu is unknown", `apiVersion: performance.openshift.io/v2
kind: PerformanceProfile
metadata: {name: p}
spec: {cpu: {reserved: "0", isolated: "1", topologyPolicy: restricted}, nodeSelector: {a: b}}`, []string{"case.yaml:4: PerformanceProfile/p: spec.cpu.topologyPolicy: Forbidden: unknown field"}},
		{"an unserved API version names the versions there are", `apiVersion: performance.openshift.io/v3
kind: PerformanceProfile
metadata: {name: p}`, []string{`apiVersion: Unsupported value: "performance.openshift.io/v3": supported values: "performance.openshift.io/v1", "performance.openshift.io/v1alpha1", "performance.openshift.io/v2"`}},
		{"a machine config pool with selectors is valid", `apiVersion: machineconfiguration.openshift.io/v1
kind: MachineConfigPool
metadata: {name: cnf-c5, labels: {machineconfiguration.openshift.io/role: cnf-c5}}
spec:
  machineConfigSelector:
    matchExpressions: [{key: machineconfiguration.openshift.io/role, operator: In, values: [worker, cnf-c5]}]
  nodeSelector: {matchLabels: {node-role.kubernetes.io/cnf-c5: ""}}`, nil},
		{"a pool without spec is rejected", `apiVersion: machineconfiguration.openshift.io/v1
kind: MachineConfigPool
metadata: {name: p}`, []string{"MachineConfigPool/p: spec: Required value"}},
		{"a pool may not be namespaced", `apiVersion: machineconfiguration.openshift.io/v1
kind: MachineConfigPool
metadata: {name: p, namespace: x}
spec: {}`, []string{"metadata.namespace: Forbidden: not allowed on a cluster-scoped resource"}},
	})
}

func TestNetworkingKinds(t *testing.T) {
	runCases(t, []validationCase{
		{"a netdevice policy is valid", `apiVersion: sriovnetwork.openshift.io/v1
kind: SriovNetworkNodePolicy
metadata: {name: sriov-a, namespace: openshift-sriov-network-operator}
spec:
  resourceName: sriova
  nodeSelector: {node-role.kubernetes.io/cnf-c5: ""}
  numVfs: 4
  nicSelector: {pfNames: [ens5]}
  deviceType: netdevice`, nil},
		{"an unknown device type is not one of the enum", `apiVersion: sriovnetwork.openshift.io/v1
kind: SriovNetworkNodePolicy
metadata: {name: p}
spec: {resourceName: r, nodeSelector: {a: b}, numVfs: 1, nicSelector: {pfNames: [ens5]}, deviceType: dpdk}`,
			[]string{`spec.deviceType: Unsupported value: "dpdk": supported values: "netdevice", "vfio-pci"`}},
		{"a policy without numVfs and nicSelector lists both", `apiVersion: sriovnetwork.openshift.io/v1
kind: SriovNetworkNodePolicy
metadata: {name: p}
spec: {resourceName: r, nodeSelector: {a: b}}`, []string{"spec.numVfs: Required value", "spec.nicSelector: Required value"}},
		{"an operator config is valid", `apiVersion: sriovnetwork.openshift.io/v1
kind: SriovOperatorConfig
metadata: {name: default, namespace: openshift-sriov-network-operator}
spec: {enableInjector: true, enableOperatorWebhook: true, logLevel: 2}`, nil},
		{"an operator config with a string flag is a type error", `apiVersion: sriovnetwork.openshift.io/v1
kind: SriovOperatorConfig
metadata: {name: default}
spec: {enableInjector: "yes"}`, []string{"spec.enableInjector: Invalid value: \"string\": spec.enableInjector in body must be of type boolean"}},
		{"a network attachment definition with a JSON config is valid", `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: sriov-a, namespace: lowlat-workloads, annotations: {k8s.v1.cni.cncf.io/resourceName: openshift.io/sriova}}
spec: {config: '{"cniVersion":"0.4.0","type":"sriov"}'}`, nil},
		{"a config given as an object is a type error", `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: n}
spec: {config: {type: sriov}}`, []string{"spec.config: Invalid value: \"object\": spec.config in body must be of type string",
			// Pruning, as the API server does it, also drops the fields of the misplaced object.
			"spec.config.type: Forbidden: unknown field"}},
	})
}

func TestOperatorKinds(t *testing.T) {
	runCases(t, []validationCase{
		{"a subscription is valid", `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata: {name: sriov-network-operator, namespace: openshift-sriov-network-operator}
spec: {channel: stable, name: sriov-network-operator, source: redhat-operators, sourceNamespace: openshift-marketplace, installPlanApproval: Automatic}`, nil},
		{"a subscription without its catalog source is rejected", `apiVersion: operators.coreos.com/v1alpha1
kind: Subscription
metadata: {name: s}
spec: {name: x, chanel: stable}`, []string{"spec.source: Required value", "spec.sourceNamespace: Required value", "spec.chanel: Forbidden: unknown field"}},
		{"an operator group is valid", `apiVersion: operators.coreos.com/v1
kind: OperatorGroup
metadata: {name: og, namespace: openshift-cnv}
spec: {targetNamespaces: [openshift-cnv]}`, nil},
		{"an operator group with a misspelt field is rejected", `apiVersion: operators.coreos.com/v1
kind: OperatorGroup
metadata: {name: og}
spec: {targetNamespace: [x]}`, []string{"spec.targetNamespace: Forbidden: unknown field"}},
		{"a hyperconverged with its feature gates is valid", `apiVersion: hco.kubevirt.io/v1beta1
kind: HyperConverged
metadata: {name: kubevirt-hyperconverged, namespace: openshift-cnv}
spec: {featureGates: {withHostPassthroughCPU: true}}`, nil},
		{"a feature gate the pinned HCO schema lacks is unknown", `apiVersion: hco.kubevirt.io/v1beta1
kind: HyperConverged
metadata: {name: kubevirt-hyperconverged}
spec: {featureGates: {noSuchGate: true}}`, []string{"spec.featureGates.noSuchGate: Forbidden: unknown field"}},
	})
}

func TestArgoCDKinds(t *testing.T) {
	runCases(t, []validationCase{
		{"an application is valid", `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: lab1-tuning, namespace: openshift-gitops, annotations: {argocd.argoproj.io/sync-wave: "0"}}
spec:
  project: default
  source: {repoURL: "https://example.com/gitops.git", targetRevision: main, path: overlays/aws/lab1/tuning}
  destination: {server: "https://kubernetes.default.svc"}
  syncPolicy: {automated: {prune: true, selfHeal: true}, syncOptions: [SkipDryRunOnMissingResource=true], retry: {limit: 5}}`, nil},
		{"an application without destination is rejected", `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: a}
spec: {project: default, syncPolicy: {automated: {prune: "yes"}}}`, []string{"spec.destination: Required value", "spec.syncPolicy.automated.prune: Invalid value"}},
		{"an application set with a list generator is valid", `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: lab1}
spec:
  generators: [{list: {elements: [{component: tuning}]}}]
  template:
    metadata: {name: "lab1-{{component}}"}
    spec:
      project: default
      source: {repoURL: "https://example.com/gitops.git", path: "overlays/aws/lab1/{{component}}"}
      destination: {server: "https://kubernetes.default.svc"}`, nil},
		{"an application set without generators is rejected", `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: s}
spec: {template: {metadata: {}, spec: {project: p, destination: {}}}}`, []string{"spec.generators: Required value"}},
		{"a project is valid", `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: lowlat}
spec: {sourceRepos: ["*"], destinations: [{server: "*", namespace: "*"}], clusterResourceWhitelist: [{group: "*", kind: "*"}]}`, nil},
		{"a project with a string for a list is a type error", `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: p}
spec: {sourceRepos: "*"}`, []string{"spec.sourceRepos: Invalid value: \"string\": spec.sourceRepos in body must be of type array"}},
	})
}

package operators

// Operator is an operator lowlat installs with OLM, and where it lives.
type Operator struct {
	// Package is the OLM package name in the catalog.
	Package string
	// Namespace is the namespace the product documentation installs it in.
	Namespace     string
	OperatorGroup string
	Subscription  string
	// NamespaceLabels and NamespaceAnnotations are what the documented
	// install puts on the namespace.
	NamespaceLabels      map[string]string
	NamespaceAnnotations map[string]string
}

// The operators and their documented install objects.
//
// Sources: OpenShift Container Platform documentation, "Installing the SR-IOV
// Network Operator" (networking, 4.19-4.22) and "Subscribing to the OpenShift
// Virtualization catalog by using the CLI" (virt/install,
// modules/virt-subscribing-cli.adoc in openshift/openshift-docs).
var (
	SRIOV = Operator{
		Package:       "sriov-network-operator",
		Namespace:     "openshift-sriov-network-operator",
		OperatorGroup: "sriov-network-operators",
		Subscription:  "sriov-network-operator-subscription",
		// Lets the operator's pods run on reserved CPUs of workload
		// partitioned nodes.
		NamespaceAnnotations: map[string]string{"workload.openshift.io/allowed": "management"},
	}
	Virtualization = Operator{
		Package:         "kubevirt-hyperconverged",
		Namespace:       "openshift-cnv",
		OperatorGroup:   "kubevirt-hyperconverged-group",
		Subscription:    "hco-operatorhub",
		NamespaceLabels: map[string]string{"openshift.io/cluster-monitoring": "true"},
	}
)

// Installed lists the operators every cluster gets, in a fixed order.
var Installed = []Operator{SRIOV, Virtualization}

// SourceNamespace holds the default OpenShift catalogs.
const SourceNamespace = "openshift-marketplace"

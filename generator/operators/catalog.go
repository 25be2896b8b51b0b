package operators

import (
	"fmt"
	"sort"
	"strings"
)

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

// Channel is where OLM takes one operator from for one OpenShift release.
type Channel struct {
	OpenShift string // "<major>.<minor>"
	Package   string
	Channel   string
	// Source is the CatalogSource in openshift-marketplace.
	Source string
}

// SourceNamespace holds the default OpenShift catalogs.
const SourceNamespace = "openshift-marketplace"

// channels is the one table of OLM channels by OpenShift release.
//
// Sources: the install pages named above for each release: both operators
// ship in the Red Hat catalog (redhat-operators) and publish the release that
// matches the cluster's OpenShift version in the "stable" channel. A new
// OpenShift release gets its rows once its documentation says where the
// operators are; until then the inventory validation rejects the version.
var channels = []Channel{
	{"4.19", "sriov-network-operator", "stable", "redhat-operators"},
	{"4.19", "kubevirt-hyperconverged", "stable", "redhat-operators"},
	{"4.20", "sriov-network-operator", "stable", "redhat-operators"},
	{"4.20", "kubevirt-hyperconverged", "stable", "redhat-operators"},
	{"4.21", "sriov-network-operator", "stable", "redhat-operators"},
	{"4.21", "kubevirt-hyperconverged", "stable", "redhat-operators"},
	{"4.22", "sriov-network-operator", "stable", "redhat-operators"},
	{"4.22", "kubevirt-hyperconverged", "stable", "redhat-operators"},
}

// SupportedVersions lists the OpenShift releases the table covers, sorted by
// minor version.
func SupportedVersions() []string {
	seen := map[string]bool{}
	var out []string
	for _, ch := range channels {
		if !seen[ch.OpenShift] {
			seen[ch.OpenShift] = true
			out = append(out, ch.OpenShift)
		}
	}
	sort.Slice(out, func(i, j int) bool { return minor(out[i]) < minor(out[j]) })
	return out
}

func minor(version string) int {
	var major, min int
	fmt.Sscanf(version, "%d.%d", &major, &min)
	return major*1000 + min
}

// ChannelFor returns where OLM installs op from on an OpenShift release.
func ChannelFor(openshift string, op Operator) (Channel, error) {
	for _, ch := range channels {
		if ch.OpenShift == openshift && ch.Package == op.Package {
			return ch, nil
		}
	}
	return Channel{}, fmt.Errorf("no %s channel for OpenShift %q; supported versions: %s",
		op.Package, openshift, strings.Join(SupportedVersions(), ", "))
}

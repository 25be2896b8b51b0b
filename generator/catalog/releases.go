package catalog

import (
	"fmt"
	"sort"
	"strings"
)

// Channel is where OLM takes one operator from for one OpenShift release.
type Channel struct {
	OpenShift string // "<major>.<minor>"
	Package   string
	Channel   string
	// Source is the CatalogSource in openshift-marketplace.
	Source string
}

// channels is the one table of OLM channels by OpenShift release.
//
// Sources: OpenShift Container Platform documentation, "Installing the
// SR-IOV Network Operator" (networking, 4.19-4.22) and "Subscribing to the
// OpenShift Virtualization catalog by using the CLI" (virt/install) for each
// release: both operators
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

// ChannelFor returns where OLM installs package pkg from on an OpenShift
// release.
func ChannelFor(openshift, pkg string) (Channel, error) {
	for _, ch := range channels {
		if ch.OpenShift == openshift && ch.Package == pkg {
			return ch, nil
		}
	}
	return Channel{}, fmt.Errorf("no %s channel for OpenShift %q; supported versions: %s",
		pkg, openshift, strings.Join(SupportedVersions(), ", "))
}

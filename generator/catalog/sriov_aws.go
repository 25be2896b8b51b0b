package catalog

import "fmt"

// SRIOVOnAWS is whether the SR-IOV Network Operator of one OpenShift release
// has the AWS platform: it reads each ENA interface's subnet from the EC2
// metadata service and matches nicSelector.netFilter "aws/NetworkID:<id>".
type SRIOVOnAWS struct {
	OpenShift string // "<major>.<minor>"
	AWS       bool
	Source    string
}

// The sources of the table below: OpenShift's own fork of the operator,
// github.com/openshift/sriov-network-operator, branch per release.
const (
	// sourceNoPlatform: pkg/vars PlatformsMap knows only openstack (and
	// baremetal), and the webhook's netFilter check allows only
	// "openstack/NetworkID:". ENA interfaces report no SR-IOV capability,
	// so the webhook denies a policy that selects them.
	sourceNoPlatform = "openshift/sriov-network-operator release-%s: no pkg/platform/aws, PlatformsMap has no AWS"
	// sourcePlatform: the branch carries the upstream AWS platform.
	sourcePlatform = "openshift/sriov-network-operator release-%s: pkg/platform/aws (upstream k8snetworkplumbingwg/sriov-network-operator PR #899)"
	// UpstreamAWSSupport is where the operator gained its AWS platform.
	UpstreamAWSSupport = "upstream k8snetworkplumbingwg/sriov-network-operator PR #899 (merged 2025-12-03, not in v1.6.0)"
)

// sriovOnAWS is the one table of SR-IOV AWS support by OpenShift release.
// A release missing from the table is treated as unsupported.
var sriovOnAWS = []SRIOVOnAWS{
	{"4.19", false, fmt.Sprintf(sourceNoPlatform, "4.19")},
	{"4.20", false, fmt.Sprintf(sourceNoPlatform, "4.20")},
	{"4.21", false, fmt.Sprintf(sourceNoPlatform, "4.21")},
	{"4.22", true, fmt.Sprintf(sourcePlatform, "4.22")},
}

// SRIOVSupportsAWS reports whether the SR-IOV operator of an OpenShift
// release selects ENA interfaces by subnet, and why lowlat believes so.
func SRIOVSupportsAWS(openshift string) SRIOVOnAWS {
	row, _ := SRIOVRow(openshift)
	return row
}

// SRIOVRow is the table's row for a release, and whether it has one.
func SRIOVRow(openshift string) (SRIOVOnAWS, bool) {
	for _, row := range sriovOnAWS {
		if row.OpenShift == openshift {
			return row, true
		}
	}
	return SRIOVOnAWS{OpenShift: openshift, Source: "not in lowlat's table of SR-IOV AWS support"}, false
}

// FirstSRIOVOnAWS is the first OpenShift release whose SR-IOV operator has
// the AWS platform.
func FirstSRIOVOnAWS() string {
	for _, row := range sriovOnAWS {
		if row.AWS {
			return row.OpenShift
		}
	}
	return ""
}

// SRIOVTable returns the table's rows, oldest release first.
func SRIOVTable() []SRIOVOnAWS { return append([]SRIOVOnAWS(nil), sriovOnAWS...) }

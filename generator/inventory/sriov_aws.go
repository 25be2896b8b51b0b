package inventory

import "fmt"

// SRIOVOnAWS is whether the SR-IOV Network Operator of one OpenShift release
// supports the AWS platform: reading each ENA interface's subnet from the EC2
// metadata service and matching nicSelector.netFilter "aws/NetworkID:<id>".
type SRIOVOnAWS struct {
	OpenShift string // "<major>.<minor>"
	AWS       bool
	Source    string
}

// The sources of the table below.
const (
	// sourceOpenShiftDocs: the OpenShift documentation of SR-IOV hardware
	// networks names bare metal and OpenStack as the supported platforms.
	sourceOpenShiftDocs = "OpenShift documentation: SR-IOV is supported on bare metal and Red Hat OpenStack Platform only"
	// UpstreamAWSSupport is where the operator gained its AWS platform.
	UpstreamAWSSupport = "upstream k8snetworkplumbingwg/sriov-network-operator PR #899 (merged 2025-12-03, not in v1.6.0)"
)

// sriovOnAWS is the one table of SR-IOV AWS support by OpenShift release.
// No OpenShift release documents AWS support yet, so every row says false;
// a release that ships an operator with the upstream AWS platform gets true
// here, with the page that says so. A release missing from the table is
// treated as unsupported.
var sriovOnAWS = []SRIOVOnAWS{
	{"4.19", false, sourceOpenShiftDocs},
	{"4.20", false, sourceOpenShiftDocs},
	{"4.21", false, sourceOpenShiftDocs},
}

// SRIOVSupportsAWS reports whether the SR-IOV operator of an OpenShift
// release selects ENA interfaces by subnet, and why lowlat believes so.
func SRIOVSupportsAWS(openshift string) SRIOVOnAWS {
	for _, row := range sriovOnAWS {
		if row.OpenShift == openshift {
			return row
		}
	}
	return SRIOVOnAWS{OpenShift: openshift, Source: "not in lowlat's table of SR-IOV AWS support"}
}

// sriovAWSWarning explains what an operator without AWS support does with
// the policies lowlat renders; empty when the release supports AWS.
func sriovAWSWarning(openshift string) string {
	row := SRIOVSupportsAWS(openshift)
	if row.AWS {
		return ""
	}
	return fmt.Sprintf("OpenShift %s: no OpenShift release documents the SR-IOV Network Operator on AWS (%s); "+
		"the aws/NetworkID netFilter of the rendered policies needs an operator with the AWS platform of %s. "+
		"An operator without it matches no interface, and no openshift.io/<resource> appears on the nodes: "+
		"check which operator release the cluster runs before syncing the networking component",
		openshift, row.Source, UpstreamAWSSupport)
}

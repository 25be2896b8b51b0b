package inventory

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/catalog"
)

// networksInventory is a valid inventory with one SR-IOV network on a
// c5.metal pool whose two instances were discovered in us-east-2a: primary
// ENIs in subnet ...0718, secondary ENIs in the network's subnet ...9788.
const networksInventory = `apiVersion: lowlat.dev/v1alpha1
kind: Inventory
metadata:
  name: test
spec:
  openshift:
    version: "4.22"
  clusters:
  - name: lab1
    region: us-east-2
    infraID: lab1-x7k2p
    nodePools:
    - name: cnf
      instanceType: c5.metal
      replicas: 2
      tuning:
        reservedCPUs: 4
      instances:
      - id: i-0a12b34c56d78e901
        instanceType: c5.metal
        availabilityZone: us-east-2a
        subnetID: subnet-0a1b2c3d4e5f60718
        networkInterfaces:
        - {id: eni-0a0000000000000a1, deviceIndex: 0, subnetID: subnet-0a1b2c3d4e5f60718}
        - {id: eni-0a0000000000000a2, deviceIndex: 1, subnetID: subnet-0f1e2d3c4b5a69788}
      - id: i-0b23c45d67e89f012
        instanceType: c5.metal
        availabilityZone: us-east-2a
        subnetID: subnet-0a1b2c3d4e5f60718
        networkInterfaces:
        - {id: eni-0b0000000000000b1, deviceIndex: 0, subnetID: subnet-0a1b2c3d4e5f60718}
        - {id: eni-0b0000000000000b2, deviceIndex: 1, subnetID: subnet-0f1e2d3c4b5a69788}
    - name: plain
      instanceType: i3.metal
      replicas: 1
      tuning:
        reservedCPUs: 4
    networks:
    - name: sriov-a
      subnetID: subnet-0f1e2d3c4b5a69788
      availabilityZone: us-east-2a
      nodePools: [cnf]
      ipam: {range: 10.10.0.0/24, gateway: 10.10.0.1}
    machines:
      ami: ami-0fc62c3c67a124a2d
      instanceProfile: lab1-x7k2p-worker-profile
      securityGroups: [sg-0c97f997c40de77bf]
      subnets:
      - {zone: us-east-2a, id: subnet-0a1b2c3d4e5f60718}
      - {zone: us-east-2b, id: subnet-0b2c3d4e5f6071829}
`

const (
	net0  = "spec.clusters[0].networks[0]"
	inst0 = "spec.clusters[0].nodePools[0].instances[0]"
)

func TestNetworkDefaults(t *testing.T) {
	inv, err := Parse([]byte(edits("      nodePools: [cnf]\n", "")(networksInventory)), "inv.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	c := &inv.Spec.Clusters[0]
	n := &c.Networks[0]
	var pools []string
	for _, np := range c.PoolsOf(n) {
		pools = append(pools, np.Name)
	}
	got := []any{n.Namespace, n.DeviceType, n.IPAM.Type, pools}
	want := []any{"lowlat-workloads", "netdevice", "whereabouts", []string{"cnf", "plain"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}

func TestNetworkRejections(t *testing.T) {
	cases := []struct {
		name string
		edit func(string) string
		want []pathProblem
	}{
		{"the valid inventory is accepted", edits(), nil},
		{"a network on a release whose SR-IOV operator has no AWS platform is rejected, naming the first release that has one",
			edits(`version: "4.22"`, `version: "4.20"`),
			[]pathProblem{{net0, "OpenShift 4.20's SR-IOV Network Operator has no AWS platform (openshift/sriov-network-operator release-4.20: no pkg/platform/aws, PlatformsMap has no AWS): its webhook denies the aws/NetworkID policy of this network and the sync fails; SR-IOV on EC2 needs OpenShift 4.22 or later"}}},
		{"a network name that is not a DNS-1123 label is rejected",
			edits("name: sriov-a", "name: Sriov_A"),
			[]pathProblem{{net0 + ".name", "RFC 1123"}}},
		{"two networks of one name are rejected",
			edits("      ipam: {range: 10.10.0.0/24, gateway: 10.10.0.1}\n",
				"      ipam: {range: 10.10.0.0/24, gateway: 10.10.0.1}\n    - name: sriov-a\n      subnetID: subnet-0e1e2d3c4b5a69788\n      nodePools: [plain]\n"),
			[]pathProblem{{"spec.clusters[0].networks[1].name", "sriov-a"}}},
		{"a subnet ID with the wrong prefix is rejected",
			edits("subnetID: subnet-0f1e2d3c4b5a69788\n      availabilityZone", "subnetID: sub-0f1e2d3c4b5a69788\n      availabilityZone"),
			[]pathProblem{{net0 + ".subnetID", "must be an EC2 ID such as subnet-"}}},
		{"a network without a subnet is rejected",
			edits("      subnetID: subnet-0f1e2d3c4b5a69788\n      availabilityZone", "      availabilityZone"),
			[]pathProblem{{net0 + ".subnetID", "Required"}}},
		{"a device type outside the CRD's enum is rejected",
			edits("      nodePools: [cnf]\n", "      nodePools: [cnf]\n      deviceType: dpdk\n"),
			[]pathProblem{{net0 + ".deviceType", `"netdevice", "vfio-pci"`}}},
		{"an unknown IPAM type is rejected",
			edits("ipam: {range:", "ipam: {type: dhcp, range:"),
			[]pathProblem{{net0 + ".ipam.type", `"host-local", "static", "whereabouts"`}}},
		{"a range that is not a CIDR is rejected",
			edits("range: 10.10.0.0/24", "range: 10.10.0.0/33"),
			[]pathProblem{{net0 + ".ipam.range", "must be a CIDR"}}},
		{"a gateway outside the range is rejected",
			edits("gateway: 10.10.0.1", "gateway: 10.11.0.1"),
			[]pathProblem{{net0 + ".ipam.gateway", "must be an IP address in 10.10.0.0/24"}}},
		{"host-local without a range is rejected",
			edits("ipam: {range: 10.10.0.0/24, gateway: 10.10.0.1}", "ipam: {type: host-local}"),
			[]pathProblem{{net0 + ".ipam.range", "host-local allocates from a CIDR"}}},
		{"a gateway without a range is rejected",
			edits("ipam: {range: 10.10.0.0/24, gateway: 10.10.0.1}", "ipam: {gateway: 10.10.0.1}"),
			[]pathProblem{{net0 + ".ipam.range", "a gateway needs the range"}}},
		{"static IPAM with a range is rejected",
			edits("ipam: {range:", "ipam: {type: static, range:"),
			[]pathProblem{{net0 + ".ipam.range", "static IPAM takes each pod's addresses"}}},
		{"static IPAM alone is accepted",
			edits("ipam: {range: 10.10.0.0/24, gateway: 10.10.0.1}", "ipam: {type: static}"),
			nil},
		{"a network on a pool that does not exist is rejected",
			edits("nodePools: [cnf]", "nodePools: [cnf, gpu]"),
			[]pathProblem{{net0 + ".nodePools[1]", "gpu"}}},
		{"a pool named twice is rejected",
			edits("nodePools: [cnf]", "nodePools: [cnf, cnf]"),
			[]pathProblem{{net0 + ".nodePools[1]", "Duplicate"}}},
		{"a zone of another region is rejected",
			edits("      availabilityZone: us-east-2a\n      nodePools", "      availabilityZone: us-west-2a\n      nodePools"),
			[]pathProblem{{net0 + ".availabilityZone", "must be an availability zone of region us-east-2"}}},
		{"a malformed instance ID is rejected",
			edits("id: i-0a12b34c56d78e901", "id: i-0A12"),
			[]pathProblem{{inst0 + ".id", "must be an EC2 ID such as i-"}}},
		{"an instance of another type than its pool is rejected",
			edits("      - id: i-0a12b34c56d78e901\n        instanceType: c5.metal", "      - id: i-0a12b34c56d78e901\n        instanceType: m5.metal"),
			[]pathProblem{{inst0 + ".instanceType", "pool cnf is c5.metal"}}},
		{"one instance in two pools is rejected",
			edits("      tuning:\n        reservedCPUs: 4\n    networks:", "      tuning:\n        reservedCPUs: 4\n      instances:\n      - id: i-0a12b34c56d78e901\n    networks:"),
			[]pathProblem{{"spec.clusters[0].nodePools[1].instances[0].id", "i-0a12b34c56d78e901"}}},
		{"a malformed ENI ID is rejected",
			edits("eni-0a0000000000000a2", "eni-xyz"),
			[]pathProblem{{inst0 + ".networkInterfaces[1].id", "must be an EC2 ID such as eni-"}}},
		{"a discovery tag filter without key or values is rejected",
			edits("      replicas: 2\n", "      replicas: 2\n      discovery:\n        tags:\n        - {key: \"\", values: []}\n"),
			[]pathProblem{
				{"spec.clusters[0].nodePools[0].discovery.tags[0].key", "an EC2 tag key"},
				{"spec.clusters[0].nodePools[0].discovery.tags[0].values", "at least one value"},
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.edit(networksInventory)), "inv.yaml", ".")
			assertPathProblems(t, err, tc.want)
		})
	}
}

// TestNetworkRefusals covers the AWS rules under which rendered policies
// would fail on a cluster rather than in review.
func TestNetworkRefusals(t *testing.T) {
	cases := []struct {
		name string
		edit func(string) string
		want []pathProblem
	}{
		{"a network in the primary ENI's subnet is refused",
			edits("subnetID: subnet-0f1e2d3c4b5a69788\n      availabilityZone", "subnetID: subnet-0a1b2c3d4e5f60718\n      availabilityZone"),
			[]pathProblem{{net0 + ".subnetID", "is the subnet of the primary ENI of i-0a12b34c56d78e901, i-0b23c45d67e89f012 in pool cnf"}}},
		{"the primary ENI is found from the interfaces when the instance lacks its subnet",
			edits("subnetID: subnet-0f1e2d3c4b5a69788\n      availabilityZone", "subnetID: subnet-0a1b2c3d4e5f60718\n      availabilityZone",
				"        availabilityZone: us-east-2a\n        subnetID: subnet-0a1b2c3d4e5f60718\n", "        availabilityZone: us-east-2a\n"),
			[]pathProblem{{net0 + ".subnetID", "primary ENI of i-0a12b34c56d78e901, i-0b23c45d67e89f012"}}},
		{"a subnet in another zone than the pool's instances is refused",
			edits("      availabilityZone: us-east-2a\n      nodePools", "      availabilityZone: us-east-2b\n      nodePools"),
			[]pathProblem{{net0 + ".subnetID", "is in us-east-2b, but instances of pool cnf are in other zones: i-0a12b34c56d78e901 (us-east-2a), i-0b23c45d67e89f012 (us-east-2a)"}}},
		{"a zone is not compared with a pool the network is not on",
			edits("      availabilityZone: us-east-2a\n      nodePools: [cnf]", "      availabilityZone: us-east-2b\n      nodePools: [plain]"),
			nil},
		{"more networks than secondary ENIs on a pool are refused",
			edits("    networks:\n", "    networks:\n"+manyNetworks(14)),
			[]pathProblem{{"spec.clusters[0].networks", "pool cnf carries 15 SR-IOV networks (n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12, n13, n14, sriov-a), but c5.metal takes at most 15 ENIs and one is the primary: at most 14 fit"}}},
		{"as many networks as secondary ENIs are accepted",
			edits("    networks:\n", "    networks:\n"+manyNetworks(13)),
			nil},
		{"two networks of one subnet on one pool are refused",
			edits("      ipam: {range: 10.10.0.0/24, gateway: 10.10.0.1}\n",
				"      ipam: {range: 10.10.0.0/24, gateway: 10.10.0.1}\n    - name: sriov-b\n      subnetID: subnet-0f1e2d3c4b5a69788\n"),
			[]pathProblem{{"spec.clusters[0].networks[1].subnetID", "network sriov-a already uses this subnet on pool cnf"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.edit(networksInventory)), "inv.yaml", ".")
			assertPathProblems(t, err, tc.want)
		})
	}
}

// manyNetworks lists n more networks on pool cnf, each in its own subnet.
func manyNetworks(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "    - name: n%02d\n      subnetID: subnet-%017x\n      nodePools: [cnf]\n", i, i)
	}
	return b.String()
}

func TestNetworkWarnings(t *testing.T) {
	const static = "ipam: {type: static}"
	const pooled = "ipam: {range: 10.10.0.0/24, gateway: 10.10.0.1}"
	cases := []struct {
		name string
		edit func(string) string
		want []Problem
	}{
		{"a network on a release with the AWS platform and static addresses gets no warning",
			edits(pooled, static),
			nil},
		{"an instance without an ENI in the network's subnet is a warning",
			edits(pooled, static, "{id: eni-0b0000000000000b2, deviceIndex: 1, subnetID: subnet-0f1e2d3c4b5a69788}", "{id: eni-0b0000000000000b2, deviceIndex: 1, subnetID: subnet-0c1e2d3c4b5a69788}"),
			[]Problem{
				{Line: 40, Path: net0 + ".subnetID", Message: "i-0b23c45d67e89f012 (pool cnf) has no ENI in subnet-0f1e2d3c4b5a69788, so network sriov-a gets no VF there"},
			}},
		{"addresses from a range are a warning: EC2 checks source and destination",
			edits(),
			[]Problem{
				{Line: 43, Path: net0 + ".ipam.type", Message: "network sriov-a: whereabouts hands out addresses from 10.10.0.0/24, which EC2 did not assign to the ENIs"},
			}},
		{"host-local IPAM on more than one node is a warning",
			edits("ipam: {range:", "ipam: {type: host-local, range:"),
			[]Problem{
				{Line: 43, Path: net0 + ".ipam.type", Message: "network sriov-a is on 2 nodes, and host-local allocates per node"},
				{Line: 43, Path: net0 + ".ipam.type", Message: "host-local hands out addresses"},
			}},
		{"fewer discovered instances than replicas is a warning",
			edits(pooled, static, "      replicas: 2\n", "      replicas: 3\n"),
			[]Problem{
				{Line: 18, Path: "spec.clusters[0].nodePools[0].instances", Message: "pool cnf has replicas 3 but lists 2 discovered instance(s)"},
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv, err := Parse([]byte(tc.edit(networksInventory)), "inv.yaml", ".")
			if err != nil {
				t.Fatal(err)
			}
			got := Warnings(inv)
			if len(got) != len(tc.want) {
				t.Fatalf("want %d warnings, got %d: %v", len(tc.want), len(got), got)
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Line != w.Line || g.Path != w.Path || !strings.Contains(g.Message, w.Message) {
					t.Errorf("warning %d: want %d %s containing %q, got %s", i, w.Line, w.Path, w.Message, g.String("inv.yaml"))
				}
			}
		})
	}
}

func TestSRIOVOnAWSTableNamesItsSources(t *testing.T) {
	if got := catalog.FirstSRIOVOnAWS(); got != "4.22" {
		t.Errorf("first release with the AWS platform %q, want 4.22", got)
	}
	for _, row := range catalog.SRIOVTable() {
		if !strings.Contains(row.Source, "release-"+row.OpenShift) {
			t.Errorf("%s: source %q does not name the release branch", row.OpenShift, row.Source)
		}
	}
	if catalog.SRIOVSupportsAWS("4.99").AWS {
		t.Error("a release missing from the table must count as unsupported")
	}
	var releases []string
	for _, row := range catalog.SRIOVTable() {
		releases = append(releases, row.OpenShift)
	}
	if diff := cmp.Diff(catalog.SupportedVersions(), releases); diff != "" {
		t.Errorf("the SR-IOV table and the operator channels cover different releases (-channels +sriov):\n%s", diff)
	}
}

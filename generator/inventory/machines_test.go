package inventory

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// machinesInventory has two MachineSet pools: cnf follows its network to
// us-east-2a, and plain is spread over two zones.
const machinesInventory = `apiVersion: lowlat.dev/v1alpha1
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
    machines:
      ami: ami-0fc62c3c67a124a2d
      instanceProfile: lab1-x7k2p-worker-profile
      securityGroups: [sg-0c97f997c40de77bf]
      subnets:
      - {zone: us-east-2a, id: subnet-0a1b2c3d4e5f60718}
      - {zone: us-east-2b, id: subnet-0b2c3d4e5f6071829}
      offerings:
      - {instanceType: c5.metal, zones: [us-east-2a, us-east-2b]}
    nodePools:
    - name: cnf
      instanceType: c5.metal
      replicas: 2
      tuning:
        reservedCPUs: 4
    - name: plain
      instanceType: i3.metal
      replicas: 3
      zones: [us-east-2a, us-east-2b]
      taints:
      - {key: lowlat.dev/pool, value: plain, effect: NoSchedule}
      tuning:
        reservedCPUs: 4
    networks:
    - name: sriov-a
      subnetID: subnet-0f1e2d3c4b5a69788
      availabilityZone: us-east-2b
      nodePools: [cnf]
`

func TestMachinesDefaults(t *testing.T) {
	inv, err := Parse([]byte(machinesInventory), "inv.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	c := &inv.Spec.Clusters[0]
	m := c.Machines
	got := []any{*m.RootVolume, m.MetadataService, m.UserDataSecret, m.CredentialsSecret, c.NodePools[0].MaxUnavailable.String(),
		c.NodePools[0].Zones, c.NodePools[0].ZoneReplicas(), c.NodePools[1].ZoneReplicas(),
		c.MachineSetName(&c.NodePools[1], "us-east-2b")}
	want := []any{RootVolume{SizeGiB: 120, Type: "gp3", Encrypted: ptr(true)}, "Optional", "worker-user-data", "aws-cloud-credentials", "1",
		[]string{"us-east-2b"}, []int{2}, []int{2, 1},
		"lab1-x7k2p-plain-us-east-2b"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}

func TestMachinesZoneDefaults(t *testing.T) {
	cases := []struct {
		name string
		edit func(string) string
		want []string
	}{
		{"a pool without networks goes to the first subnet's zone",
			edits("      availabilityZone: us-east-2b\n      nodePools: [cnf]\n", "      nodePools: [cnf]\n"), []string{"us-east-2a"}},
		{"a pool with discovered instances stays where they are",
			edits("      replicas: 2\n", "      replicas: 2\n      instances:\n      - {id: i-0a12b34c56d78e901, availabilityZone: us-east-2b}\n"), []string{"us-east-2b"}},
		{"zones as written win",
			edits("      replicas: 2\n", "      replicas: 2\n      zones: [us-east-2b]\n"), []string{"us-east-2b"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv, err := Parse([]byte(tc.edit(machinesInventory)), "inv.yaml", ".")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, inv.Spec.Clusters[0].NodePools[0].Zones); diff != "" {
				t.Errorf("zones (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMachinesRejections(t *testing.T) {
	const pool0, pool1, m = "spec.clusters[0].nodePools[0]", "spec.clusters[0].nodePools[1]", "spec.clusters[0].machines"
	cases := []struct {
		name string
		edit func(string) string
		want []pathProblem
	}{
		{"MachineSets without the workers' values say how to get them",
			edits("    machines:\n      ami: ami-0fc62c3c67a124a2d\n      instanceProfile: lab1-x7k2p-worker-profile\n      securityGroups: [sg-0c97f997c40de77bf]\n      subnets:\n      - {zone: us-east-2a, id: subnet-0a1b2c3d4e5f60718}\n      - {zone: us-east-2b, id: subnet-0b2c3d4e5f6071829}\n      offerings:\n      - {instanceType: c5.metal, zones: [us-east-2a, us-east-2b]}\n", ""),
			[]pathProblem{{m, "pool(s) cnf, plain create their nodes with MachineSets, which need the AMI, instance profile, security groups and subnets of the cluster's workers: run lowlat discover --write"}}},
		{"MachineSets without the infrastructure name say where it is",
			edits("    infraID: lab1-x7k2p\n", ""),
			[]pathProblem{{"spec.clusters[0].infraID", "oc get infrastructure cluster"}}},
		{"pools whose nodes exist need neither",
			edits("    infraID: lab1-x7k2p\n", "", "      replicas: 2\n", "      replicas: 2\n      machineSet: false\n",
				"      replicas: 3\n      zones: [us-east-2a, us-east-2b]\n      taints:\n      - {key: lowlat.dev/pool, value: plain, effect: NoSchedule}\n", "      replicas: 3\n      machineSet: false\n"),
			nil},
		{"zones and taints of a pool without MachineSets are refused",
			edits("      replicas: 3\n", "      replicas: 3\n      machineSet: false\n"),
			[]pathProblem{{pool1 + ".zones", "machineSet: false"}, {pool1 + ".taints", "machineSet: false"}}},
		{"a zone without a subnet is refused",
			edits("      - {zone: us-east-2b, id: subnet-0b2c3d4e5f6071829}\n", ""),
			[]pathProblem{
				{pool0 + ".zones[0]", "machines.subnets has no subnet in us-east-2b"},
				{pool1 + ".zones[1]", "machines.subnets has no subnet in us-east-2b"},
			}},
		{"a zone that does not offer the instance type is refused",
			edits("{instanceType: c5.metal, zones: [us-east-2a, us-east-2b]}", "{instanceType: c5.metal, zones: [us-east-2a, us-east-2c]}"),
			[]pathProblem{{pool0 + ".zones[0]", "EC2 does not offer c5.metal in us-east-2b; it is offered in us-east-2a, us-east-2c"}}},
		{"a zone of another region is refused",
			edits("      zones: [us-east-2a, us-east-2b]\n", "      zones: [us-east-2a, eu-west-1a]\n"),
			[]pathProblem{{pool1 + ".zones[1]", "must be an availability zone of region us-east-2"}}},
		{"a pool placed away from its network is refused",
			edits("      replicas: 2\n", "      replicas: 2\n      zones: [us-east-2a]\n"),
			[]pathProblem{{pool0 + ".zones[0]", "network sriov-a's subnet is in us-east-2b, and an ENI attaches only to an instance in its subnet's zone"}}},
		{"a MachineSet name longer than a label value is refused",
			edits("    - name: plain\n", "    - name: plain-pool-with-a-name-long-enough-to-overflow\n"),
			[]pathProblem{
				{pool1 + ".name", "would be named lab1-x7k2p-plain-pool-with-a-name-long-enough-to-overflow-us-east-2a, 68 characters; the name is a label value on its Machines, at most 63: shorten the pool's name by 5"},
				{pool1 + ".name", "us-east-2b, 68 characters"},
			}},
		{"malformed machine values are all reported",
			edits("ami: ami-0fc62c3c67a124a2d", "ami: rhcos-4.22",
				"instanceProfile: lab1-x7k2p-worker-profile", "instanceProfile: arn:aws:iam::123456789012:instance-profile/x",
				"securityGroups: [sg-0c97f997c40de77bf]", "securityGroups: [sg-0c97f997c40de77bf, sg-0c97f997c40de77bf, lab1-node]",
				"      offerings:\n", "      rootVolume: {sizeGiB: 8, type: st1}\n      metadataService: IMDSv2\n      offerings:\n"),
			[]pathProblem{
				{m + ".ami", "must be an EC2 ID such as ami-"},
				{m + ".instanceProfile", "not an ARN"},
				{m + ".securityGroups[1]", "Duplicate value"},
				{m + ".securityGroups[2]", "must be an EC2 ID such as sg-"},
				{m + ".rootVolume.sizeGiB", "must be 16 to 16384 GiB"},
				{m + ".rootVolume.type", "supported values"},
				{m + ".metadataService", "supported values"},
			}},
		{"a subnet zone given twice is refused",
			edits("      - {zone: us-east-2b, id: subnet-0b2c3d4e5f6071829}\n", "      - {zone: us-east-2a, id: subnet-0b2c3d4e5f6071829}\n"),
			[]pathProblem{
				{m + ".subnets[1].zone", "Duplicate value"},
				{pool0 + ".zones[0]", "no subnet in us-east-2b"},
				{pool1 + ".zones[1]", "no subnet in us-east-2b"},
			}},
		{"a rollout of no node at a time is refused",
			edits("      replicas: 2\n", "      replicas: 2\n      maxUnavailable: 0\n"),
			[]pathProblem{{pool0 + ".maxUnavailable", "must be at least 1 node"}}},
		{"a percentage beyond the pool is refused",
			edits("      replicas: 2\n", "      replicas: 2\n      maxUnavailable: 150%\n", "      replicas: 3\n", "      replicas: 3\n      maxUnavailable: half\n"),
			[]pathProblem{{pool0 + ".maxUnavailable", `"1%" to "100%"`}, {pool1 + ".maxUnavailable", `"1%" to "100%"`}}},
		{"a list is not a rollout size",
			edits("      replicas: 2\n", "      replicas: 2\n      maxUnavailable: [1]\n"),
			[]pathProblem{{pool0 + ".maxUnavailable", "must be a number or a percentage"}}},
		{"a taint is checked as Kubernetes does",
			edits("{key: lowlat.dev/pool, value: plain, effect: NoSchedule}", "{key: lowlat.dev/pool, value: plain, effect: NoRun}\n      - {key: bad key, effect: NoSchedule}"),
			[]pathProblem{{pool1 + ".taints[0].effect", "supported values"}, {pool1 + ".taints[1].key", "name part must consist of"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.edit(machinesInventory)), "inv.yaml", ".")
			assertPathProblems(t, err, tc.want)
		})
	}
}

func TestPoolsWithoutMachineSetsNameTheLabelTheirNodesNeed(t *testing.T) {
	text := edits("      replicas: 3\n      zones: [us-east-2a, us-east-2b]\n      taints:\n      - {key: lowlat.dev/pool, value: plain, effect: NoSchedule}\n",
		"      replicas: 3\n      machineSet: false\n")(machinesInventory)
	inv, err := Parse([]byte(text), "inv.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	got := Warnings(inv)
	if len(got) != 1 {
		t.Fatalf("want one warning, got %v", got)
	}
	want := Problem{Line: 30, Path: "spec.clusters[0].nodePools[1].machineSet", Code: WarnExistingNodes, Message: "pool plain has no MachineSet: its 3 node(s) must exist already and carry the label node-role.kubernetes.io/plain, which every selector of the pool matches (oc label node NODE node-role.kubernetes.io/plain=)"}
	if diff := cmp.Diff(want, got[0]); diff != "" {
		t.Errorf("warning (-want +got):\n%s", diff)
	}
}

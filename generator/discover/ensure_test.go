package discover

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/discover/ec2test"
	"github.com/lowlat/lowlat/generator/inventory"
)

const (
	primaryA = "subnet-0a1b2c3d4e5f60718" // the primaries of us-east-2a
	primaryB = "subnet-0b2c3d4e5f6071829"
	sriovA   = "subnet-0f1e2d3c4b5a69788"
	sriovB   = "subnet-0e2d3c4b5a6978899"
	c5a      = "i-0a12b34c56d78e901"
	c5b      = "i-0b23c45d67e89f012"
	i3       = "i-0c34d56e78f90a123"
	master   = "i-0e45f67a89b01c234"
	stranger = "i-0f00000000000lab2" // a c5.metal of another cluster
)

// newCloud is lab1: two c5.metal of pool cnf-c5 in us-east-2a, an i3.metal
// in us-east-2b, a control-plane instance, and another cluster's c5.metal,
// answered two to a page.
func newCloud(t *testing.T) *ec2test.Cloud {
	cloud := ec2test.NewCloud(t)
	cloud.PageSize = 2
	for id, zone := range map[string]string{primaryA: "us-east-2a", primaryB: "us-east-2b", sriovA: "us-east-2a", sriovB: "us-east-2a"} {
		cloud.AddSubnet(id, zone)
	}
	lab1 := map[string]string{ClusterTag + "lab1-x7k2p": "owned"}
	for _, inst := range []ec2test.Instance{
		{ID: c5a, Type: "c5.metal", Zone: "us-east-2a", Subnet: primaryA, Tags: lab1, MaxENIs: 15},
		{ID: c5b, Type: "c5.metal", Zone: "us-east-2a", Subnet: primaryA, Tags: lab1, MaxENIs: 15},
		{ID: i3, Type: "i3.metal", Zone: "us-east-2b", Subnet: primaryB, Tags: lab1, MaxENIs: 15},
		{ID: master, Type: "m6i.xlarge", Zone: "us-east-2a", Subnet: primaryA, Tags: lab1, MaxENIs: 4},
		{ID: stranger, Type: "c5.metal", Zone: "us-east-2a", Subnet: primaryA, Tags: map[string]string{ClusterTag + "lab2-q9w8e": "owned"}, MaxENIs: 15},
	} {
		cloud.AddInstance(inst)
	}
	return cloud
}

// ensureCluster is lab1 with networks sriov-a and sriov-b on cnf-c5.
func ensureCluster() *inventory.Cluster {
	return &inventory.Cluster{Name: "lab1", Region: "us-east-2", InfraID: "lab1-x7k2p",
		NodePools: []inventory.NodePool{{Name: "cnf-c5", InstanceType: "c5.metal", Replicas: 2}, {Name: "cnf-i3", InstanceType: "i3.metal", Replicas: 1}},
		Networks: []inventory.Network{
			{Name: "sriov-a", SubnetID: sriovA, NodePools: []string{"cnf-c5"}, AvailabilityZone: "us-east-2a"},
			{Name: "sriov-b", SubnetID: sriovB, NodePools: []string{"cnf-c5"}},
		}}
}

func cloudClient(cloud *ec2test.Cloud) *ec2.Client {
	return newClient(&ec2test.Server{Server: cloud.Server})
}

func planFor(t *testing.T, cloud *ec2test.Cloud, c *inventory.Cluster) *Plan {
	t.Helper()
	p, err := PlanENIs(context.Background(), cloudClient(cloud), c, Options{Region: "us-east-2"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// ensure plans and applies, as `lowlat aws ensure-enis --apply` does.
func ensure(t *testing.T, cloud *ec2test.Cloud, c *inventory.Cluster) (*Plan, Summary, error) {
	t.Helper()
	p := planFor(t, cloud, c)
	var log strings.Builder
	sum, err := ApplyPlan(context.Background(), cloudClient(cloud), p, &log)
	t.Log(log.String())
	return p, sum, err
}

func lines(p *Plan) []string {
	var out []string
	for _, a := range p.Actions {
		out = append(out, a.String())
	}
	return out
}

// tagged are the cloud's ENIs carrying lowlat's cluster tag for lab1.
func tagged(cloud *ec2test.Cloud) []ec2test.ENI {
	var out []ec2test.ENI
	for _, e := range cloud.ENIs() {
		if e.Tags[TagCluster] == "lab1" {
			out = append(out, e)
		}
	}
	return out
}

// checkConverged checks that each instance has exactly one ENI in each of
// sriov-a's and sriov-b's subnets, lowlat's, deleted on termination, and
// that lowlat has no other ENI.
func checkConverged(t *testing.T, cloud *ec2test.Cloud, instances ...string) {
	t.Helper()
	for _, inst := range instances {
		for network, subnet := range map[string]string{"sriov-a": sriovA, "sriov-b": sriovB} {
			var in []ec2test.ENI
			for _, e := range cloud.ENIs() {
				if e.Attachment != nil && e.Attachment.InstanceID == inst && e.Subnet == subnet {
					in = append(in, e)
				}
			}
			if len(in) != 1 {
				t.Errorf("%s has %d ENIs in %s, want 1", inst, len(in), subnet)
				continue
			}
			want := map[string]string{TagCluster: "lab1", TagNetwork: network, TagInstance: inst}
			if diff := cmp.Diff(want, in[0].Tags); diff != "" || !in[0].Attachment.DeleteOnTermination {
				t.Errorf("%s on %s: delete on termination %v, tags (-want +got):\n%s", in[0].ID, inst, in[0].Attachment.DeleteOnTermination, diff)
			}
		}
	}
	if got, want := len(tagged(cloud)), 2*len(instances); got != want {
		t.Errorf("%d ENIs carry lowlat's tags, want %d (instances × networks): %+v", got, want, tagged(cloud))
	}
}

func TestPlanENIsListsTheActionsAndChangesNothing(t *testing.T) {
	cloud := newCloud(t)
	before := cloud.ENIs()
	p := planFor(t, cloud, ensureCluster())
	want := []string{
		"create ENI in " + sriovA + " for " + c5a + " (network sriov-a)",
		"attach the new ENI to " + c5a + " at device 1",
		"create ENI in " + sriovB + " for " + c5a + " (network sriov-b)",
		"attach the new ENI to " + c5a + " at device 2",
		"create ENI in " + sriovA + " for " + c5b + " (network sriov-a)",
		"attach the new ENI to " + c5b + " at device 1",
		"create ENI in " + sriovB + " for " + c5b + " (network sriov-b)",
		"attach the new ENI to " + c5b + " at device 2",
	}
	if diff := cmp.Diff(want, lines(p)); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	if p.Instances != 2 || len(p.Problems) != 0 {
		t.Errorf("instances %d, problems %q", p.Instances, p.Problems)
	}
	if diff := cmp.Diff(before, cloud.ENIs()); diff != "" {
		t.Errorf("planning changed ENIs (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"DescribeInstances", "DescribeInstances", "DescribeInstanceTypes", "DescribeNetworkInterfaces"}, cloud.Operations()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	// Only the types of the pools with networks: cnf-i3 has none.
	if f := cloud.Calls()[2].Form; f.Get("InstanceType.1") != "c5.metal" || f.Has("InstanceType.2") {
		t.Errorf("DescribeInstanceTypes asked for %v, want c5.metal alone", f)
	}
	if f := cloud.Calls()[3].Form; f.Get("Filter.1.Name") != "tag:lowlat.dev/cluster" || f.Get("Filter.1.Value.1") != "lab1" {
		t.Errorf("DescribeNetworkInterfaces filter: %v", f)
	}
}

func TestEnsureENIsConvergesAndASecondRunDoesNothing(t *testing.T) {
	cloud := newCloud(t)
	_, sum, err := ensure(t, cloud, ensureCluster())
	if err != nil {
		t.Fatal(err)
	}
	if want := (Summary{Created: 4, Attached: 4, DeleteOnTermination: 4}); sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	checkConverged(t, cloud, c5a, c5b)
	for _, e := range tagged(cloud) {
		want := fmt.Sprintf("lowlat lab1/%s for %s", e.Tags[TagNetwork], e.Tags[TagInstance])
		if e.Description != want || e.Attachment.NetworkCardIndex != 0 || e.Attachment.DeviceIndex < 1 || e.Attachment.DeviceIndex > 2 {
			t.Errorf("%s: description %q, card %d, device %d", e.ID, e.Description, e.Attachment.NetworkCardIndex, e.Attachment.DeviceIndex)
		}
	}
	for _, e := range cloud.ENIs() {
		if a := e.Attachment; a != nil && (a.InstanceID == i3 || a.InstanceID == master || a.InstanceID == stranger) && a.DeviceIndex != 0 {
			t.Errorf("%s got an ENI: %+v", a.InstanceID, e)
		}
	}
	calls := len(cloud.Calls())
	again, sum, err := ensure(t, cloud, ensureCluster())
	if err != nil || len(again.Actions) != 0 || len(again.Problems) != 0 || sum != (Summary{}) {
		t.Errorf("second run: err %v, actions %q, problems %q, summary %+v", err, lines(again), again.Problems, sum)
	}
	for _, a := range cloud.Actions()[calls:] {
		if !strings.HasPrefix(a, "Describe") {
			t.Errorf("second run called %s", a)
		}
	}
}

func TestEnsureENIsResumesAnInterruptedRun(t *testing.T) {
	cases := []struct {
		name, action, code string
		// wantNext is the first step of the second run, given the ENI the
		// first run left.
		wantNext func(eni ec2test.ENI) string
	}{
		{"a failed attach leaves the created ENI, which the next run attaches", "AttachNetworkInterface", "IncorrectState",
			func(e ec2test.ENI) string { return "attach " + e.ID + " to " + c5a + " at device 1" }},
		{"a failed delete-on-termination is set by the next run", "ModifyNetworkInterfaceAttribute", "IncorrectState",
			func(e ec2test.ENI) string {
				return "set delete-on-termination on " + e.ID + " (" + c5a + ", network sriov-a)"
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cloud := newCloud(t)
			cloud.Fail(tc.action, tc.code, "The network interface is in an incorrect state.")
			_, _, err := ensure(t, cloud, ensureCluster())
			var ce *CallError
			if !errors.As(err, &ce) || ce.Operation != tc.action || ce.Code != tc.code {
				t.Fatalf("want a CallError of %s %s, got %v", tc.action, tc.code, err)
			}
			left := tagged(cloud)
			if len(left) != 1 {
				t.Fatalf("first run left %d ENIs, want 1: %+v", len(left), left)
			}
			p, _, err := ensure(t, cloud, ensureCluster())
			if err != nil {
				t.Fatal(err)
			}
			if got := lines(p); len(got) == 0 || got[0] != tc.wantNext(left[0]) {
				t.Errorf("second run's plan starts %q, want %q", got, tc.wantNext(left[0]))
			}
			checkConverged(t, cloud, c5a, c5b)
			if !slices.ContainsFunc(tagged(cloud), func(e ec2test.ENI) bool { return e.ID == left[0].ID && e.Attachment != nil }) {
				t.Errorf("%s, which the first run created, is not attached", left[0].ID)
			}
		})
	}
}

func TestEnsureENIsRetriesThrottling(t *testing.T) {
	cloud := newCloud(t)
	cloud.Throttle("DescribeInstances", 2)
	cloud.Throttle("CreateNetworkInterface", 2)
	cloud.Throttle("AttachNetworkInterface", 1)
	if _, _, err := ensure(t, cloud, ensureCluster()); err != nil {
		t.Fatalf("throttled calls were not retried: %v", err)
	}
	checkConverged(t, cloud, c5a, c5b)
	var tokens []string
	for _, c := range cloud.Calls() {
		if c.Action == "CreateNetworkInterface" {
			tokens = append(tokens, c.Form.Get("ClientToken"))
		}
	}
	// The SDK's retries resend the request, ClientToken and all, so EC2
	// creates the ENI once.
	if len(tokens) != 6 || tokens[0] == "" || tokens[0] != tokens[1] || tokens[1] != tokens[2] || tokens[2] == tokens[3] {
		t.Errorf("CreateNetworkInterface client tokens %q, want 3 attempts with one token, then 3 more calls", tokens)
	}
}

// manyNetworks is lab1 with n networks on cnf-c5, each in its own subnet.
func manyNetworks(cloud *ec2test.Cloud, n int) *inventory.Cluster {
	c := ensureCluster()
	c.Networks = nil
	for i := 1; i <= n; i++ {
		subnet := fmt.Sprintf("subnet-0%016d", i)
		cloud.AddSubnet(subnet, "us-east-2a")
		c.Networks = append(c.Networks, inventory.Network{Name: fmt.Sprintf("net-%02d", i), SubnetID: subnet, NodePools: []string{"cnf-c5"}})
	}
	return c
}

func TestEnsureENIsStopsAtTheENILimit(t *testing.T) {
	t.Run("a pool with more networks than its type takes gets none beyond the limit, and is told", func(t *testing.T) {
		cloud := newCloud(t)
		c := manyNetworks(cloud, 15) // c5.metal takes 15 ENIs, the primary one of them
		p, sum, err := ensure(t, cloud, c)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Attached != 28 {
			t.Errorf("attached %d ENIs, want 14 per c5.metal", sum.Attached)
		}
		want := []string{
			"instance " + c5a + " (c5.metal) has 1 of its 15 ENIs (card 0: 1 of 15) and room for 14 more: no ENI added for network(s) net-15",
			"instance " + c5b + " (c5.metal) has 1 of its 15 ENIs (card 0: 1 of 15) and room for 14 more: no ENI added for network(s) net-15",
		}
		if diff := cmp.Diff(want, p.Problems); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
		again := planFor(t, cloud, c)
		if len(again.Actions) != 0 || len(again.Problems) != 2 {
			t.Errorf("second run: actions %q, problems %q", lines(again), again.Problems)
		}
	})
	t.Run("EC2's own limit refusing an attach is explained and leaves a reusable ENI", func(t *testing.T) {
		cloud := newCloud(t)
		cloud.AddInstance(ec2test.Instance{ID: "i-0a0000000000000c5", Type: "c5.metal", Zone: "us-east-2a", Subnet: primaryA,
			Tags: map[string]string{ClusterTag + "lab1-x7k2p": "owned"}, MaxENIs: 2})
		_, sum, err := ensure(t, cloud, ensureCluster())
		if err == nil || !strings.Contains(err.Error(), "ec2:AttachNetworkInterface failed: AttachmentLimitExceeded: Interface count 3 exceeds the limit for c5.metal; the instance has as many ENIs as its type allows") {
			t.Fatalf("got %v", err)
		}
		if sum.Created != 2 || sum.Attached != 1 {
			t.Errorf("summary %+v, want 2 created, 1 attached", sum)
		}
	})
}

func TestEnsureENIsCleansUpAfterAnInstanceTerminatedMidRun(t *testing.T) {
	cases := []struct {
		name, after string
		n           int
		code        string
	}{
		{"terminated once its first ENI is created", "CreateNetworkInterface", 3, "IncorrectInstanceState"},
		{"terminated between an attach and its delete-on-termination", "AttachNetworkInterface", 3, "InvalidAttachmentID.NotFound"},
		{"terminated after its first ENI is complete", "ModifyNetworkInterfaceAttribute", 3, "IncorrectInstanceState"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cloud := newCloud(t)
			cloud.TerminateAfter(tc.after, tc.n, c5b)
			_, _, err := ensure(t, cloud, ensureCluster())
			var ce *CallError
			if !errors.As(err, &ce) || ce.Code != tc.code {
				t.Fatalf("want a CallError %s, got %v", tc.code, err)
			}
			p, _, err := ensure(t, cloud, ensureCluster())
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Actions) != 1 || p.Actions[0].Kind != DeleteENI || !strings.Contains(p.Actions[0].String(), c5b+" is not a running instance of a pool of network sriov-") {
				t.Errorf("second run's plan %q, want the deletion of "+c5b+"'s orphan", lines(p))
			}
			checkConverged(t, cloud, c5a)
			if again := planFor(t, cloud, ensureCluster()); len(again.Actions) != 0 {
				t.Errorf("third run plans %q", lines(again))
			}
		})
	}
}

func TestEnsureENIsNeverTouchesENIsWithoutItsTags(t *testing.T) {
	cloud := newCloud(t)
	foreign := []string{
		cloud.AddENI(ec2test.ENI{Subnet: sriovA}),
		cloud.AddENI(ec2test.ENI{Subnet: sriovA, Tags: map[string]string{TagCluster: "lab1", TagNetwork: "sriov-a"}}),
		cloud.AddENI(ec2test.ENI{Subnet: sriovB, Tags: map[string]string{TagCluster: "lab2", TagNetwork: "sriov-b", TagInstance: c5b}}),
		cloud.AddENI(ec2test.ENI{Subnet: sriovA, Attachment: &ec2test.Attachment{InstanceID: c5a, DeviceIndex: 1}}),
	}
	before := map[string]ec2test.ENI{}
	for _, e := range cloud.ENIs() {
		before[e.ID] = e
	}
	p, _, err := ensure(t, cloud, ensureCluster())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"create ENI in " + sriovB + " for " + c5a + " (network sriov-b)",
		"attach the new ENI to " + c5a + " at device 2",
	}
	if got := lines(p); !cmp.Equal(want, got[:2]) || len(got) != 6 {
		t.Errorf("plan %q: want %q for %s (its sriov-a ENI is someone else's) and 4 steps for %s", got, want, c5a, c5b)
	}
	after := map[string]ec2test.ENI{}
	for _, e := range cloud.ENIs() {
		after[e.ID] = e
	}
	for _, id := range foreign {
		if diff := cmp.Diff(before[id], after[id]); diff != "" {
			t.Errorf("%s changed (-before +after):\n%s", id, diff)
		}
		for _, c := range cloud.Calls() {
			for k, v := range c.Form {
				if slices.Contains(v, id) {
					t.Errorf("%s named %s in %s", c.Action, id, k)
				}
			}
		}
	}
}

func TestEnsureENIsNamesTheMissingPermission(t *testing.T) {
	cases := []struct{ action, want string }{
		{"CreateNetworkInterface", "the credentials lack IAM permission ec2:CreateNetworkInterface and ec2:CreateTags (to tag it on create)"},
		{"AttachNetworkInterface", "the credentials lack IAM permission ec2:AttachNetworkInterface"},
		{"ModifyNetworkInterfaceAttribute", "the credentials lack IAM permission ec2:ModifyNetworkInterfaceAttribute"},
	}
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			cloud := newCloud(t)
			cloud.Fail(tc.action, "UnauthorizedOperation", "You are not authorized to perform this operation.")
			_, _, err := ensure(t, cloud, ensureCluster())
			if err == nil || !strings.Contains(err.Error(), "ec2:"+tc.action+" failed: UnauthorizedOperation") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v", err)
			}
		})
	}
}

func TestPlanENIsReportsWhatItCannotFix(t *testing.T) {
	cloud := newCloud(t)
	cloud.AddENI(ec2test.ENI{Subnet: sriovA, Attachment: &ec2test.Attachment{InstanceID: c5a, DeviceIndex: 1}})
	cloud.AddENI(ec2test.ENI{Subnet: sriovA, Attachment: &ec2test.Attachment{InstanceID: c5a, DeviceIndex: 2}})
	c := ensureCluster()
	c.Networks[0].AvailabilityZone = "us-east-2c"
	p := planFor(t, cloud, c)
	want := []string{
		"instance " + c5a + " has 2 ENIs in " + sriovA + " (network sriov-a): ",
		"instance " + c5b + " is in us-east-2a, but network sriov-a's subnet " + sriovA + " is in us-east-2c: no ENI of it can attach",
	}
	if len(p.Problems) != 2 || !strings.HasPrefix(p.Problems[0], want[0]) || p.Problems[1] != want[1] {
		t.Errorf("problems %q, want %q", p.Problems, want)
	}
	for _, a := range p.Actions {
		if a.Network == "sriov-a" {
			t.Errorf("planned %s", a)
		}
	}
}

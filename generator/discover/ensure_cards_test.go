package discover

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/discover/ec2test"
	"github.com/lowlat/lowlat/generator/inventory"
)

const c6in = "i-0d6c1a2b3c4d5e6f7" // a c6in.metal: two network cards of 8 ENIs

// twoCardCloud is lab1's cloud with a c6in.metal in us-east-2a.
func twoCardCloud(t *testing.T) *ec2test.Cloud {
	cloud := newCloud(t)
	cloud.AddInstance(ec2test.Instance{ID: c6in, Type: "c6in.metal", Zone: "us-east-2a", Subnet: primaryA,
		Tags: map[string]string{ClusterTag + "lab1-x7k2p": "owned"}})
	return cloud
}

// twoCardCluster is lab1 with pool cnf-c6in and n networks on it, each in
// its own subnet of us-east-2a.
func twoCardCluster(cloud *ec2test.Cloud, n int) *inventory.Cluster {
	c := &inventory.Cluster{Name: "lab1", Region: "us-east-2", InfraID: "lab1-x7k2p",
		NodePools: []inventory.NodePool{{Name: "cnf-c6in", InstanceType: "c6in.metal", Replicas: 1}}}
	for i := 1; i <= n; i++ {
		subnet := fmt.Sprintf("subnet-0c6%014d", i)
		cloud.AddSubnet(subnet, "us-east-2a")
		c.Networks = append(c.Networks, inventory.Network{Name: fmt.Sprintf("net-%02d", i), SubnetID: subnet, NodePools: []string{"cnf-c6in"}})
	}
	return c
}

// attachLines are the plan's attach steps.
func attachLines(p *Plan) []string {
	var out []string
	for _, a := range p.Actions {
		if a.Kind == AttachENI {
			out = append(out, a.String())
		}
	}
	return out
}

// perCard counts the instance's attached ENIs on each card.
func perCard(cloud *ec2test.Cloud, instance string) map[int]int {
	out := map[int]int{}
	for _, e := range cloud.ENIs() {
		if a := e.Attachment; a != nil && a.InstanceID == instance {
			out[a.NetworkCardIndex]++
		}
	}
	return out
}

func TestEnsureENIsFillsCardZeroThenTheNextCard(t *testing.T) {
	cloud := twoCardCloud(t)
	c := twoCardCluster(cloud, 10)
	p := planFor(t, cloud, c)
	var want []string
	for d := 1; d <= 7; d++ {
		want = append(want, fmt.Sprintf("attach the new ENI to %s at device %d of network card 0", c6in, d))
	}
	for d := 0; d <= 2; d++ {
		want = append(want, fmt.Sprintf("attach the new ENI to %s at device %d of network card 1", c6in, d))
	}
	if diff := cmp.Diff(want, attachLines(p)); diff != "" {
		t.Errorf("the plan's attach steps (-want +got):\n%s", diff)
	}
	if len(p.Problems) != 0 {
		t.Errorf("problems %q", p.Problems)
	}
	if _, sum, err := ensure(t, cloud, c); err != nil || sum.Attached != 10 {
		t.Fatalf("apply: %+v, %v", sum, err)
	}
	if got, want := perCard(cloud, c6in), map[int]int{0: 8, 1: 3}; !cmp.Equal(want, got) {
		t.Errorf("ENIs per card %v, want %v", got, want)
	}
	for _, call := range cloud.Calls() {
		if call.Action == "AttachNetworkInterface" && call.Form.Get("NetworkCardIndex") == "" {
			t.Errorf("an attach without NetworkCardIndex: %v", call.Form)
		}
	}
	calls := len(cloud.Calls())
	again, sum, err := ensure(t, cloud, c)
	if err != nil || len(again.Actions) != 0 || len(again.Problems) != 0 || sum != (Summary{}) {
		t.Errorf("second run: err %v, actions %q, problems %q, summary %+v", err, lines(again), again.Problems, sum)
	}
	for _, a := range cloud.Actions()[calls:] {
		if !strings.HasPrefix(a, "Describe") {
			t.Errorf("second run called %s", a)
		}
	}
}

func TestEnsureENIsReportsTheLimitOverAllCards(t *testing.T) {
	cloud := twoCardCloud(t)
	c := twoCardCluster(cloud, 16) // 16 ENIs over both cards, the primary one of them
	p, sum, err := ensure(t, cloud, c)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"instance " + c6in + " (c6in.metal) has 1 of its 16 ENIs (card 0: 1 of 8, card 1: 0 of 8) and room for 15 more: no ENI added for network(s) net-16"}
	if diff := cmp.Diff(want, p.Problems); diff != "" || sum.Attached != 15 {
		t.Errorf("attached %d, want 15; problems (-want +got):\n%s", sum.Attached, diff)
	}
	again := planFor(t, cloud, c)
	want = []string{"instance " + c6in + " (c6in.metal) has 16 of its 16 ENIs (card 0: 8 of 8, card 1: 8 of 8) and room for 0 more: no ENI added for network(s) net-16"}
	if diff := cmp.Diff(want, again.Problems); diff != "" || len(again.Actions) != 0 {
		t.Errorf("second run: actions %q; problems (-want +got):\n%s", lines(again), diff)
	}
}

func TestEnsureENIsSkipsSlotsOthersTook(t *testing.T) {
	cloud := twoCardCloud(t)
	c := twoCardCluster(cloud, 9)
	cloud.AddSubnet("subnet-0f0000000000000ee", "us-east-2a")
	for _, slot := range [][2]int{{0, 3}, {1, 0}} { // someone else's ENIs
		cloud.AddENI(ec2test.ENI{Subnet: "subnet-0f0000000000000ee",
			Attachment: &ec2test.Attachment{InstanceID: c6in, NetworkCardIndex: slot[0], DeviceIndex: slot[1]}})
	}
	got := attachLines(planFor(t, cloud, c))
	// Card 0 has room for 6 (devices 1-2, 4-7), card 1 starts at device 1.
	if len(got) != 9 || !strings.HasSuffix(got[2], "at device 4 of network card 0") ||
		!strings.HasSuffix(got[6], "at device 1 of network card 1") || !strings.HasSuffix(got[8], "at device 3 of network card 1") {
		t.Errorf("attach steps %q", got)
	}
	if _, _, err := ensure(t, cloud, c); err != nil {
		t.Fatal(err)
	}
	if got, want := perCard(cloud, c6in), map[int]int{0: 8, 1: 4}; !cmp.Equal(want, got) {
		t.Errorf("ENIs per card %v, want %v", got, want)
	}
}

// TestCloudRefusesWhatEC2Refuses checks the fake's model of cards: each
// card has its own device indexes and its own limit.
func TestCloudRefusesWhatEC2Refuses(t *testing.T) {
	cases := []struct {
		name         string
		card, device int32
		fill         int // ENIs attached on card 1 first
		code         string
	}{
		{"a device index taken on the card is refused", 0, 0, 0, "InvalidParameterValue"},
		{"the same device index on another card is free", 1, 0, 0, ""},
		{"a card with as many ENIs as it takes refuses one more", 1, 9, 8, "AttachmentLimitExceeded"},
		{"a card the type does not have is refused", 2, 0, 0, "InvalidParameterValue"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cloud := twoCardCloud(t)
			for d := range tc.fill {
				cloud.AddENI(ec2test.ENI{Subnet: sriovA, Attachment: &ec2test.Attachment{InstanceID: c6in, NetworkCardIndex: 1, DeviceIndex: d}})
			}
			eni := cloud.AddENI(ec2test.ENI{Subnet: sriovA})
			_, err := cloudClient(cloud).AttachNetworkInterface(context.Background(), &ec2.AttachNetworkInterfaceInput{
				NetworkInterfaceId: aws.String(eni), InstanceId: aws.String(c6in),
				NetworkCardIndex: aws.Int32(tc.card), DeviceIndex: aws.Int32(tc.device)})
			var ce *CallError
			if err != nil {
				err = explain("AttachNetworkInterface", err)
				errors.As(err, &ce)
			}
			if tc.code == "" && err != nil || tc.code != "" && (ce == nil || ce.Code != tc.code) {
				t.Errorf("got %v, want code %q", err, tc.code)
			}
		})
	}
}

func TestCardsOfPutsTheDefaultCardFirst(t *testing.T) {
	card := func(index, max int32) types.NetworkCardInfo {
		return types.NetworkCardInfo{NetworkCardIndex: aws.Int32(index), MaximumNetworkInterfaces: aws.Int32(max)}
	}
	cases := []struct {
		name string
		info types.NetworkInfo
		want []networkCard
		err  string
	}{
		{"cards follow the default card by index", types.NetworkInfo{DefaultNetworkCardIndex: aws.Int32(1),
			NetworkCards: []types.NetworkCardInfo{card(2, 4), card(0, 4), card(1, 8)}}, []networkCard{{1, 8}, {0, 4}, {2, 4}}, ""},
		{"a type without per-card limits is one card", types.NetworkInfo{MaximumNetworkInterfaces: aws.Int32(15), MaximumNetworkCards: aws.Int32(1)},
			[]networkCard{{0, 15}}, ""},
		{"several cards without their limits are refused", types.NetworkInfo{MaximumNetworkInterfaces: aws.Int32(16), MaximumNetworkCards: aws.Int32(2)},
			nil, "EC2 described 2 network cards without their ENI limits"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cardsOf(types.InstanceTypeInfo{NetworkInfo: &tc.info})
			if err != nil && err.Error() != tc.err || err == nil && tc.err != "" {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(networkCard{})); diff != "" {
				t.Errorf("cards (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPlanENIsNamesTheInstanceTypesPermission(t *testing.T) {
	cloud := twoCardCloud(t)
	cloud.Fail("DescribeInstanceTypes", "UnauthorizedOperation", "You are not authorized to perform this operation.")
	_, err := PlanENIs(context.Background(), cloudClient(cloud), twoCardCluster(cloud, 1), Options{Region: "us-east-2"})
	want := "ec2:DescribeInstanceTypes failed: UnauthorizedOperation: You are not authorized to perform this operation; " +
		"the credentials lack IAM permission ec2:DescribeInstanceTypes"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

package discover

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lowlat/lowlat/generator/inventory"
)

// The tags lowlat puts on the ENIs it creates. They are its only claim on
// an ENI: an ENI without all three, for this cluster, is never modified or
// deleted.
const (
	TagCluster  = "lowlat.dev/cluster"
	TagNetwork  = "lowlat.dev/network"
	TagInstance = "lowlat.dev/instance"
)

// ENIClient is the part of the EC2 API that EnsureENIs calls; *ec2.Client
// has it.
type ENIClient interface {
	ec2.DescribeInstancesAPIClient
	ec2.DescribeInstanceTypesAPIClient
	ec2.DescribeNetworkInterfacesAPIClient
	CreateNetworkInterface(context.Context, *ec2.CreateNetworkInterfaceInput, ...func(*ec2.Options)) (*ec2.CreateNetworkInterfaceOutput, error)
	AttachNetworkInterface(context.Context, *ec2.AttachNetworkInterfaceInput, ...func(*ec2.Options)) (*ec2.AttachNetworkInterfaceOutput, error)
	ModifyNetworkInterfaceAttribute(context.Context, *ec2.ModifyNetworkInterfaceAttributeInput, ...func(*ec2.Options)) (*ec2.ModifyNetworkInterfaceAttributeOutput, error)
	DeleteNetworkInterface(context.Context, *ec2.DeleteNetworkInterfaceInput, ...func(*ec2.Options)) (*ec2.DeleteNetworkInterfaceOutput, error)
}

// ActionKind is what one step of an ENI plan does.
type ActionKind string

const (
	// CreateENI creates an ENI in a network's subnet, tagged for the
	// cluster, network and instance; the AttachENI after it attaches it.
	CreateENI ActionKind = "create"
	// AttachENI attaches an ENI and sets it to be deleted with the instance.
	AttachENI ActionKind = "attach"
	// SetDeleteOnTermination fixes an attached ENI of lowlat's that a run
	// interrupted after its attach left to outlive the instance.
	SetDeleteOnTermination ActionKind = "delete-on-termination"
	// DeleteENI deletes an available ENI of lowlat's that no instance needs.
	DeleteENI ActionKind = "delete"
)

// Action is one step of an ENI plan.
type Action struct {
	Kind     ActionKind
	Instance string
	Network  string
	Subnet   string
	// ENI is the interface acted on; empty on the AttachENI of an ENI the
	// CreateENI before it makes.
	ENI        string
	Attachment string // SetDeleteOnTermination's attachment
	// AttachENI's slot: the network card and the device index on it.
	NetworkCard, DeviceIndex int
	// NetworkCards is how many cards the instance's type has; the card is
	// named when there are several.
	NetworkCards int
	Reason       string // why DeleteENI deletes
}

func (a Action) String() string {
	switch a.Kind {
	case CreateENI:
		return fmt.Sprintf("create ENI in %s for %s (network %s)", a.Subnet, a.Instance, a.Network)
	case AttachENI:
		eni := a.ENI
		if eni == "" {
			eni = "the new ENI"
		}
		return fmt.Sprintf("attach %s to %s at %s", eni, a.Instance, a.slot())
	case SetDeleteOnTermination:
		return fmt.Sprintf("set delete-on-termination on %s (%s, network %s)", a.ENI, a.Instance, a.Network)
	default:
		return fmt.Sprintf("delete orphan %s (%s=%s, available): %s", a.ENI, TagNetwork, a.Network, a.Reason)
	}
}

// slot is where AttachENI attaches: "device 2", or "device 0 of network
// card 1" on a type with several cards.
func (a Action) slot() string {
	if a.NetworkCards > 1 || a.NetworkCard != 0 {
		return fmt.Sprintf("device %d of network card %d", a.DeviceIndex, a.NetworkCard)
	}
	return fmt.Sprintf("device %d", a.DeviceIndex)
}

// Plan is what EnsureENIs would change for a cluster.
type Plan struct {
	Cluster string
	Actions []Action
	// Problems are what it cannot do: an instance without room for its
	// networks' ENIs on any of its cards, two ENIs in one network's
	// subnet, a zone mismatch.
	Problems []string
	// Instances counts the running instances of pools with networks.
	Instances int
}

// PlanENIs finds the running instances of cluster c's pools that carry
// SR-IOV networks, their types' network cards, and lowlat's ENIs of the
// cluster, and plans what gives each instance exactly one ENI in each of
// its networks' subnets.
func PlanENIs(ctx context.Context, client ENIClient, c *inventory.Cluster, opts Options) (*Plan, error) {
	if err := precheck(c); err != nil {
		return nil, err
	}
	log := progress{opts.Progress}
	log.printf("ensuring the ENIs of cluster %s (infra ID %s) in %s", c.Name, c.InfraID, opts.Region)
	found, err := describeInstances(ctx, client, c.InfraID, log)
	if err != nil {
		return nil, err
	}
	res := &Result{Cluster: c.Name, Pools: map[string][]inventory.Instance{}}
	if err := assign(c, found, res); err != nil {
		return nil, err
	}
	described, err := describeTypes(ctx, client, networkPoolTypes(c, res.Pools), log)
	if err != nil {
		return nil, err
	}
	owned, err := lowlatENIs(ctx, client, c.Name, log)
	if err != nil {
		return nil, err
	}
	byID := map[string]types.Instance{}
	for _, inst := range found {
		byID[aws.ToString(inst.InstanceId)] = inst
	}
	return plan(c, res.Pools, byID, described, owned), nil
}

// networkPoolTypes are the instance types of the running instances of the
// pools with networks, sorted: the types whose cards the plan fills.
func networkPoolTypes(c *inventory.Cluster, pools map[string][]inventory.Instance) []string {
	set := map[string]bool{}
	for i := range c.NodePools {
		if len(networksOf(c, &c.NodePools[i])) == 0 {
			continue
		}
		for _, inst := range pools[c.NodePools[i].Name] {
			set[inst.InstanceType] = true
		}
	}
	return sortedKeys(set)
}

// lowlatENIs lists the ENIs tagged for the cluster by lowlat, sorted by ID.
func lowlatENIs(ctx context.Context, client ec2.DescribeNetworkInterfacesAPIClient, cluster string, log progress) ([]types.NetworkInterface, error) {
	in := &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{
		{Name: aws.String("tag:" + TagCluster), Values: []string{cluster}},
	}}
	var out []types.NetworkInterface
	pages := ec2.NewDescribeNetworkInterfacesPaginator(client, in)
	for pages.HasMorePages() {
		resp, err := pages.NextPage(ctx)
		if err != nil {
			return nil, explain("DescribeNetworkInterfaces", err)
		}
		out = append(out, resp.NetworkInterfaces...)
	}
	sort.Slice(out, func(i, j int) bool {
		return aws.ToString(out[i].NetworkInterfaceId) < aws.ToString(out[j].NetworkInterfaceId)
	})
	log.printf("DescribeNetworkInterfaces: %d ENI(s) tagged %s=%s", len(out), TagCluster, cluster)
	return out, nil
}

// lowlatTags returns the network and instance an ENI was made for, and
// whether it carries all of lowlat's tags for cluster.
func lowlatTags(e types.NetworkInterface, cluster string) (network, instance string, ok bool) {
	network, instance = tagValue(e.TagSet, TagNetwork), tagValue(e.TagSet, TagInstance)
	return network, instance, tagValue(e.TagSet, TagCluster) == cluster && network != "" && instance != ""
}

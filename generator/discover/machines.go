package discover

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lowlat/lowlat/generator/inventory"
)

// internalELBTag marks the private subnets of an installer-provisioned VPC
// (cluster-api-provider-aws getSubnetTagParams); a subnet the user brought
// carries only the cluster tag, so the workers' own subnets are read too.
const internalELBTag = "kubernetes.io/role/internal-elb"

// discoverMachines reads what new machines of the cluster boot with from an
// existing worker — the installer's (tagged Name <infraID>-worker-...), else
// any instance of a pool — its root volume included, and the private subnet
// of each zone, and which zones offer each pool's instance type.
func discoverMachines(ctx context.Context, client Client, c *inventory.Cluster, found []types.Instance, log progress) (*inventory.Machines, []string, error) {
	worker := pickWorker(c, found)
	if worker == nil {
		return nil, []string{fmt.Sprintf("no worker instance of cluster %s found to read the AMI, instance profile and security groups of new machines from; "+
			"set spec.clusters[].machines by hand, or set machineSet: false on pools whose nodes exist", c.Name)}, nil
	}
	m := &inventory.Machines{
		AMI:             aws.ToString(worker.ImageId),
		InstanceProfile: instanceProfileName(worker.IamInstanceProfile),
		MetadataService: metadataService(worker.MetadataOptions),
	}
	for _, sg := range worker.SecurityGroups {
		m.SecurityGroups = append(m.SecurityGroups, aws.ToString(sg.GroupId))
	}
	sort.Strings(m.SecurityGroups)
	log.printf("machines: read from instance %s", aws.ToString(worker.InstanceId))
	volume, findings, err := rootVolume(ctx, client, worker, log)
	if err != nil {
		return nil, nil, err
	}
	m.RootVolume = volume
	if m.Subnets, err = privateSubnets(ctx, client, c.InfraID, found, log); err != nil {
		return nil, nil, err
	}
	if m.Offerings, err = offerings(ctx, client, poolTypes(c), log); err != nil {
		return nil, nil, err
	}
	return m, findings, nil
}

// pickWorker is the first installer worker by ID, else the first instance
// of one of the cluster's pools.
func pickWorker(c *inventory.Cluster, found []types.Instance) *types.Instance {
	var workers, pools []*types.Instance
	for i := range found {
		inst := &found[i]
		switch {
		case strings.HasPrefix(tagValue(inst.Tags, "Name"), c.InfraID+"-worker-"):
			workers = append(workers, inst)
		case slices.Contains(poolTypes(c), string(inst.InstanceType)):
			pools = append(pools, inst)
		}
	}
	for _, list := range [][]*types.Instance{workers, pools} {
		if len(list) > 0 {
			return slices.MinFunc(list, func(a, b *types.Instance) int {
				return strings.Compare(aws.ToString(a.InstanceId), aws.ToString(b.InstanceId))
			})
		}
	}
	return nil
}

func tagValue(tags []types.Tag, key string) string {
	for _, t := range tags {
		if aws.ToString(t.Key) == key {
			return aws.ToString(t.Value)
		}
	}
	return ""
}

// instanceProfileName takes the name from the profile's ARN
// (arn:aws:iam::<account>:instance-profile/<path/>name): the machine API
// passes iamInstanceProfile.id to EC2 as a name, and the profile's own Id
// (AIPA...) is not one.
func instanceProfileName(p *types.IamInstanceProfile) string {
	if p == nil {
		return ""
	}
	arn := aws.ToString(p.Arn)
	return arn[strings.LastIndex(arn, "/")+1:]
}

// metadataService maps the instance's IMDS token setting onto the provider
// config's authentication (machine-api-provider-aws maps it back).
func metadataService(o *types.InstanceMetadataOptionsResponse) string {
	if o != nil && o.HttpTokens == types.HttpTokensStateRequired {
		return "Required"
	}
	return "Optional"
}

// privateSubnets finds one private subnet per zone: the subnets the
// cluster's instances run in (the installer puts every node in a private
// subnet), and the cluster's subnets tagged for internal load balancers in
// the other zones.
func privateSubnets(ctx context.Context, client Client, infraID string, found []types.Instance, log progress) ([]inventory.ZoneSubnet, error) {
	byZone := map[string]string{}
	for _, inst := range found {
		if zone := zoneOf(inst); zone != "" && byZone[zone] == "" {
			byZone[zone] = aws.ToString(inst.SubnetId)
		}
	}
	in := &ec2.DescribeSubnetsInput{Filters: []types.Filter{
		{Name: aws.String("tag-key"), Values: []string{ClusterTag + infraID}},
		{Name: aws.String("tag-key"), Values: []string{internalELBTag}},
	}}
	pages := ec2.NewDescribeSubnetsPaginator(client, in)
	tagged := 0
	for pages.HasMorePages() {
		resp, err := pages.NextPage(ctx)
		if err != nil {
			return nil, explain("DescribeSubnets", err)
		}
		for _, s := range resp.Subnets {
			// The filters again: an answer is only trusted as far as it
			// matches what was asked.
			if !hasTag(s.Tags, ClusterTag+infraID) || !hasTag(s.Tags, internalELBTag) {
				continue
			}
			tagged++
			if zone := aws.ToString(s.AvailabilityZone); byZone[zone] == "" {
				byZone[zone] = aws.ToString(s.SubnetId)
			}
		}
	}
	log.printf("DescribeSubnets: %d private subnet(s) of the cluster, %d zone(s) with a subnet", tagged, len(byZone))
	var out []inventory.ZoneSubnet
	for _, zone := range slices.Sorted(maps.Keys(byZone)) {
		out = append(out, inventory.ZoneSubnet{Zone: zone, ID: byZone[zone]})
	}
	return out, nil
}

func zoneOf(inst types.Instance) string {
	if inst.Placement == nil || inst.SubnetId == nil {
		return ""
	}
	return aws.ToString(inst.Placement.AvailabilityZone)
}

func hasTag(tags []types.Tag, key string) bool {
	for _, t := range tags {
		if aws.ToString(t.Key) == key {
			return true
		}
	}
	return false
}

// offerings asks which zones of the region offer each instance type
// (as the installer does, pkg/asset/machines/aws/instance_types.go).
func offerings(ctx context.Context, client Client, instanceTypes []string, log progress) ([]inventory.Offering, error) {
	in := &ec2.DescribeInstanceTypeOfferingsInput{
		LocationType: types.LocationTypeAvailabilityZone,
		Filters:      []types.Filter{{Name: aws.String("instance-type"), Values: instanceTypes}},
	}
	zones := map[string]map[string]bool{}
	pages := ec2.NewDescribeInstanceTypeOfferingsPaginator(client, in)
	for pages.HasMorePages() {
		resp, err := pages.NextPage(ctx)
		if err != nil {
			return nil, explain("DescribeInstanceTypeOfferings", err)
		}
		for _, o := range resp.InstanceTypeOfferings {
			typ := string(o.InstanceType)
			if !slices.Contains(instanceTypes, typ) {
				continue
			}
			if zones[typ] == nil {
				zones[typ] = map[string]bool{}
			}
			zones[typ][aws.ToString(o.Location)] = true
		}
	}
	var out []inventory.Offering
	for _, typ := range instanceTypes {
		out = append(out, inventory.Offering{InstanceType: typ, Zones: sortedKeys(zones[typ])})
	}
	log.printf("DescribeInstanceTypeOfferings: zones of %s", strings.Join(instanceTypes, ", "))
	return out, nil
}

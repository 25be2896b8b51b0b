package discover

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lowlat/lowlat/generator/inventory"
)

// addInterfaces records the ENIs attached to the pools' instances.
func addInterfaces(ctx context.Context, client Client, res *Result, log progress) error {
	byInstance := map[string]*inventory.Instance{}
	for _, insts := range res.Pools {
		for i := range insts {
			byInstance[insts[i].ID] = &insts[i]
		}
	}
	ids := make([]string, 0, len(byInstance))
	for id := range byInstance {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	count := 0
	for _, batch := range chunks(ids, batchSize) {
		in := &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{{Name: aws.String("attachment.instance-id"), Values: batch}}}
		pages := ec2.NewDescribeNetworkInterfacesPaginator(client, in)
		for pages.HasMorePages() {
			resp, err := pages.NextPage(ctx)
			if err != nil {
				return explain("DescribeNetworkInterfaces", err)
			}
			for _, eni := range resp.NetworkInterfaces {
				if eni.Attachment == nil {
					continue
				}
				if inst := byInstance[aws.ToString(eni.Attachment.InstanceId)]; inst != nil {
					inst.NetworkInterfaces = append(inst.NetworkInterfaces, toInterface(eni))
					count++
				}
			}
		}
	}
	for _, inst := range byInstance {
		sortInterfaces(inst.NetworkInterfaces)
	}
	log.printf("DescribeNetworkInterfaces: %d interface(s) on %d instance(s)", count, len(ids))
	return nil
}

func toInterface(eni types.NetworkInterface) inventory.NetworkInterface {
	return inventory.NetworkInterface{
		ID:               aws.ToString(eni.NetworkInterfaceId),
		DeviceIndex:      int(aws.ToInt32(eni.Attachment.DeviceIndex)),
		NetworkCardIndex: int(aws.ToInt32(eni.Attachment.NetworkCardIndex)),
		SubnetID:         aws.ToString(eni.SubnetId),
	}
}

func sortInterfaces(enis []inventory.NetworkInterface) {
	sort.Slice(enis, func(i, j int) bool {
		a, b := enis[i], enis[j]
		if a.NetworkCardIndex != b.NetworkCardIndex {
			return a.NetworkCardIndex < b.NetworkCardIndex
		}
		if a.DeviceIndex != b.DeviceIndex {
			return a.DeviceIndex < b.DeviceIndex
		}
		return a.ID < b.ID
	})
}

// addZones looks up the availability zone of each network's subnet. A
// subnet EC2 does not know in the region is an error: its policies would
// select nothing.
func addZones(ctx context.Context, client Client, c *inventory.Cluster, res *Result, region string, log progress) error {
	wanted := map[string]bool{}
	for _, n := range c.Networks {
		wanted[n.SubnetID] = true
	}
	if len(wanted) == 0 {
		return nil
	}
	ids := sortedKeys(wanted)
	for _, batch := range chunks(ids, batchSize) {
		in := &ec2.DescribeSubnetsInput{Filters: []types.Filter{{Name: aws.String("subnet-id"), Values: batch}}}
		pages := ec2.NewDescribeSubnetsPaginator(client, in)
		for pages.HasMorePages() {
			resp, err := pages.NextPage(ctx)
			if err != nil {
				return explain("DescribeSubnets", err)
			}
			for _, s := range resp.Subnets {
				if id := aws.ToString(s.SubnetId); wanted[id] {
					res.Zones[id] = aws.ToString(s.AvailabilityZone)
				}
			}
		}
	}
	log.printf("DescribeSubnets: %d of %d network subnet(s) found", len(res.Zones), len(ids))
	var missing []string
	for _, id := range ids {
		if _, ok := res.Zones[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("cluster %s: EC2 knows no subnet %s in region %s; fix the networks' subnetID or the region",
			c.Name, strings.Join(missing, ", "), region)
	}
	return nil
}

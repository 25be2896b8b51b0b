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

// ClusterTag is the tag key prefix the OpenShift installer and machine API
// put on every instance of a cluster, with value "owned" (or "shared").
const ClusterTag = "kubernetes.io/cluster/"

// describeInstances lists the cluster's running instances, page by page,
// for discovery and for ensure-enis alike.
func describeInstances(ctx context.Context, client ec2.DescribeInstancesAPIClient, infraID string, log progress) ([]types.Instance, error) {
	in := &ec2.DescribeInstancesInput{Filters: []types.Filter{
		{Name: aws.String("tag:" + ClusterTag + infraID), Values: []string{"owned", "shared"}},
		{Name: aws.String("instance-state-name"), Values: []string{"running"}},
	}}
	var out []types.Instance
	pages := ec2.NewDescribeInstancesPaginator(client, in)
	for page := 1; pages.HasMorePages(); page++ {
		resp, err := pages.NextPage(ctx)
		if err != nil {
			return nil, explain("DescribeInstances", err)
		}
		n := 0
		for _, r := range resp.Reservations {
			for _, inst := range r.Instances {
				// The filters again: an answer is only trusted as far as
				// it matches what was asked.
				if inst.State != nil && inst.State.Name == types.InstanceStateNameRunning {
					out = append(out, inst)
					n++
				}
			}
		}
		log.printf("DescribeInstances page %d: %d instance(s)", page, n)
	}
	return out, nil
}

// assign maps each instance to the pool of its type whose tag filters it
// matches. An instance two pools claim is an error: their filters overlap.
func assign(c *inventory.Cluster, found []types.Instance, res *Result) error {
	for _, np := range c.NodePools {
		res.Pools[np.Name] = nil
	}
	for _, inst := range found {
		var claims []string
		for _, np := range c.NodePools {
			if string(inst.InstanceType) == np.InstanceType && matchesTags(np.Discovery, inst.Tags) {
				claims = append(claims, np.Name)
			}
		}
		id := aws.ToString(inst.InstanceId)
		switch len(claims) {
		case 0:
			res.Unassigned = append(res.Unassigned, Unassigned{ID: id, InstanceType: string(inst.InstanceType)})
		case 1:
			res.Pools[claims[0]] = append(res.Pools[claims[0]], toInstance(inst))
		default:
			return fmt.Errorf("instance %s matches the discovery filters of pools %s; make their discovery.tags exclusive", id, strings.Join(claims, ", "))
		}
	}
	for name := range res.Pools {
		sort.Slice(res.Pools[name], func(i, j int) bool { return res.Pools[name][i].ID < res.Pools[name][j].ID })
	}
	sort.Slice(res.Unassigned, func(i, j int) bool { return res.Unassigned[i].ID < res.Unassigned[j].ID })
	return nil
}

func toInstance(inst types.Instance) inventory.Instance {
	out := inventory.Instance{
		ID:           aws.ToString(inst.InstanceId),
		InstanceType: string(inst.InstanceType),
		SubnetID:     aws.ToString(inst.SubnetId),
	}
	if inst.Placement != nil {
		out.AvailabilityZone = aws.ToString(inst.Placement.AvailabilityZone)
	}
	return out
}

// matchesTags reports whether tags satisfy every filter of d, as the EC2
// tag:<key> filter would.
func matchesTags(d *inventory.Discovery, tags []types.Tag) bool {
	if d == nil {
		return true
	}
	for _, f := range d.Tags {
		if !anyTagMatches(f, tags) {
			return false
		}
	}
	return true
}

func anyTagMatches(f inventory.TagFilter, tags []types.Tag) bool {
	for _, t := range tags {
		if aws.ToString(t.Key) != f.Key {
			continue
		}
		for _, pattern := range f.Values {
			if wildcard(pattern, aws.ToString(t.Value)) {
				return true
			}
		}
	}
	return false
}

// wildcard matches s against an EC2 filter pattern: * is any run of
// characters, ? is one character, and \ escapes either.
func wildcard(pattern, s string) bool { return match([]rune(pattern), []rune(s)) }

func match(pattern, s []rune) bool {
	for len(pattern) > 0 {
		switch c := pattern[0]; {
		case c == '*':
			for i := len(s); i >= 0; i-- {
				if match(pattern[1:], s[i:]) {
					return true
				}
			}
			return false
		case c == '?' && len(s) > 0:
			pattern, s = pattern[1:], s[1:]
		case c == '\\' && len(pattern) > 1 && len(s) > 0 && s[0] == pattern[1]:
			pattern, s = pattern[2:], s[1:]
		case c != '?' && c != '\\' && len(s) > 0 && s[0] == c:
			pattern, s = pattern[1:], s[1:]
		default:
			return false
		}
	}
	return len(s) == 0
}

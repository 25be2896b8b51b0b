package discover

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/inventory"
)

// batchSize bounds the IDs or filter values of one request: DescribeInstanceTypes
// takes at most 100 instance types, and EC2 filters take at most 200 values.
const batchSize = 100

// checkShapes describes the pools' instance types and reports where EC2 and
// the catalog disagree: the catalog drives CPU partitions and ENI limits.
func checkShapes(ctx context.Context, client Client, c *inventory.Cluster, res *Result, log progress) error {
	names := poolTypes(c)
	described, err := describeTypes(ctx, client, names, log)
	if err != nil {
		return err
	}
	for _, name := range names {
		info, ok := described[name]
		if !ok {
			res.Findings = append(res.Findings, fmt.Sprintf("instance type %s: EC2 did not describe it in this region", name))
			continue
		}
		it, err := catalog.Lookup(name)
		if err != nil {
			res.Findings = append(res.Findings, fmt.Sprintf("instance type %s: %v", name, err))
			continue
		}
		if n := info.NetworkInfo; n != nil && n.EnaSupport == types.EnaSupportUnsupported && len(c.Networks) > 0 {
			res.Findings = append(res.Findings, fmt.Sprintf("instance type %s: EC2 says it has no ENA, so its ENIs cannot be SR-IOV VFs", name))
		}
		if diffs := shapeDiffs(it, info); len(diffs) > 0 {
			res.Findings = append(res.Findings, fmt.Sprintf("instance type %s: EC2 and the catalog disagree: %s; fix generator/catalog/metal.csv after checking the EC2 documentation",
				name, strings.Join(diffs, ", ")))
		}
	}
	return nil
}

// describeTypes describes the named instance types, in batches, page by
// page; a type EC2 does not describe is missing from the map.
func describeTypes(ctx context.Context, client ec2.DescribeInstanceTypesAPIClient, names []string, log progress) (map[string]types.InstanceTypeInfo, error) {
	described := map[string]types.InstanceTypeInfo{}
	if len(names) == 0 {
		return described, nil
	}
	for _, batch := range chunks(names, batchSize) {
		in := &ec2.DescribeInstanceTypesInput{InstanceTypes: toInstanceTypes(batch)}
		pages := ec2.NewDescribeInstanceTypesPaginator(client, in)
		for pages.HasMorePages() {
			resp, err := pages.NextPage(ctx)
			if err != nil {
				return nil, explain("DescribeInstanceTypes", err)
			}
			for _, info := range resp.InstanceTypes {
				described[string(info.InstanceType)] = info
			}
		}
	}
	log.printf("DescribeInstanceTypes: %d of %d type(s) described", len(described), len(names))
	return described, nil
}

// shapeDiffs lists the facts where EC2's answer differs from the catalog.
func shapeDiffs(it catalog.InstanceType, info types.InstanceTypeInfo) []string {
	var diffs []string
	add := func(what string, ec2, cat any) {
		if fmt.Sprint(ec2) != fmt.Sprint(cat) {
			diffs = append(diffs, fmt.Sprintf("%s %v (catalog %v)", what, ec2, cat))
		}
	}
	if v := info.VCpuInfo; v != nil {
		add("vCPUs", aws.ToInt32(v.DefaultVCpus), it.VCPUs)
		add("cores", aws.ToInt32(v.DefaultCores), it.Cores)
		add("threads per core", aws.ToInt32(v.DefaultThreadsPerCore), it.ThreadsPerCore)
	}
	if m := info.MemoryInfo; m != nil {
		add("memory MiB", aws.ToInt64(m.SizeInMiB), int64(it.MemoryGiB)*1024)
	}
	if n := info.NetworkInfo; n != nil {
		add("maximum network interfaces", aws.ToInt32(n.MaximumNetworkInterfaces), it.MaxENIs)
		add("network cards", aws.ToInt32(n.MaximumNetworkCards), it.NetworkCards)
		add("EFA", aws.ToBool(n.EfaSupported), it.EFA)
		if n.EnaSrdSupported != nil {
			add("ENA Express", *n.EnaSrdSupported, it.ENAExpress)
		}
	}
	if s := info.InstanceStorageInfo; s != nil && len(s.Disks) == 1 {
		add("instance store disks", aws.ToInt32(s.Disks[0].Count), it.NVMeDisks)
		add("instance store GB per disk", aws.ToInt64(s.Disks[0].SizeInGB), it.NVMeDiskGB)
	}
	return diffs
}

func toInstanceTypes(names []string) []types.InstanceType {
	out := make([]types.InstanceType, len(names))
	for i, n := range names {
		out[i] = types.InstanceType(n)
	}
	return out
}

// chunks splits ids into batches of at most n.
func chunks(ids []string, n int) [][]string {
	var out [][]string
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

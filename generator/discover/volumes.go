package discover

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lowlat/lowlat/generator/inventory"
)

// What a gp3 volume gets without provisioning more: 3,000 IOPS and
// 125 MiB/s at any size (Amazon EBS User Guide, "General Purpose SSD
// volumes", gp3). DescribeVolumes reports them like provisioned values.
const (
	gp3BaselineIOPS       = 3000
	gp3BaselineThroughput = 125 // MiB/s
)

// rootVolume reads the worker's root EBS volume: the block device mapping
// of its root device names the volume, and DescribeVolumes gives its size,
// type, IOPS and encryption. It is nil, with a finding, when there is none
// to read or machines.rootVolume cannot express it.
func rootVolume(ctx context.Context, client ec2.DescribeVolumesAPIClient, worker *types.Instance, log progress) (*inventory.RootVolume, []string, error) {
	instance := aws.ToString(worker.InstanceId)
	id := rootVolumeID(worker)
	if id == "" {
		return nil, []string{fmt.Sprintf("instance %s has no EBS volume at its root device %q: machines.rootVolume is left as it is",
			instance, aws.ToString(worker.RootDeviceName))}, nil
	}
	vol, err := describeVolume(ctx, client, id)
	if err != nil {
		return nil, nil, err
	}
	if vol == nil {
		return nil, []string{fmt.Sprintf("EC2 did not describe %s, the root volume of instance %s: machines.rootVolume is left as it is", id, instance)}, nil
	}
	log.printf("DescribeVolumes: root volume %s of instance %s: %s", id, instance, volumeSummary(*vol))
	rv, findings := toRootVolume(*vol, instance)
	return rv, findings, nil
}

// rootVolumeID is the EBS volume mapped at the instance's root device;
// empty when the mapping is missing or not EBS.
func rootVolumeID(inst *types.Instance) string {
	root := aws.ToString(inst.RootDeviceName)
	for _, m := range inst.BlockDeviceMappings {
		if root != "" && aws.ToString(m.DeviceName) == root && m.Ebs != nil {
			return aws.ToString(m.Ebs.VolumeId)
		}
	}
	return ""
}

// describeVolume finds one volume by ID, page by page: a filter, unlike
// VolumeIds, answers a volume deleted meanwhile with nothing rather than
// an error.
func describeVolume(ctx context.Context, client ec2.DescribeVolumesAPIClient, id string) (*types.Volume, error) {
	in := &ec2.DescribeVolumesInput{Filters: []types.Filter{{Name: aws.String("volume-id"), Values: []string{id}}}}
	pages := ec2.NewDescribeVolumesPaginator(client, in)
	for pages.HasMorePages() {
		resp, err := pages.NextPage(ctx)
		if err != nil {
			return nil, explain("DescribeVolumes", err)
		}
		for _, v := range resp.Volumes {
			if aws.ToString(v.VolumeId) == id {
				return &v, nil
			}
		}
	}
	return nil, nil
}

// toRootVolume records the volume as machines.rootVolume does: all four
// fields, IOPS only where they were provisioned. The KMS key and a gp3
// throughput have no field there (the MachineSets use the account's
// default EBS key and gp3's baseline), so a throughput above the baseline
// is a finding.
func toRootVolume(v types.Volume, instance string) (*inventory.RootVolume, []string) {
	id, typ := aws.ToString(v.VolumeId), string(v.VolumeType)
	if !slices.Contains(inventory.VolumeTypes, typ) {
		return nil, []string{fmt.Sprintf("root volume %s of instance %s is of type %s, which machines.rootVolume cannot express (%s): it is left as it is",
			id, instance, typ, strings.Join(inventory.VolumeTypes, ", "))}
	}
	rv := &inventory.RootVolume{
		SizeGiB:   int(aws.ToInt32(v.Size)),
		Type:      typ,
		IOPS:      provisionedIOPS(v),
		Encrypted: aws.Bool(aws.ToBool(v.Encrypted)),
	}
	if t := aws.ToInt32(v.Throughput); v.VolumeType == types.VolumeTypeGp3 && t > gp3BaselineThroughput {
		return rv, []string{fmt.Sprintf("root volume %s of instance %s has a throughput of %d MiB/s; machines.rootVolume has no throughput, so new machines get gp3's %d MiB/s",
			id, instance, t, gp3BaselineThroughput)}
	}
	return rv, nil
}

// provisionedIOPS is what machines.rootVolume.iops records: io1 and io2
// IOPS are always provisioned, gp3's only above its baseline, and gp2's
// follow from its size and cannot be set.
func provisionedIOPS(v types.Volume) int {
	iops := int(aws.ToInt32(v.Iops))
	switch v.VolumeType {
	case types.VolumeTypeIo1, types.VolumeTypeIo2:
		return iops
	case types.VolumeTypeGp3:
		if iops > gp3BaselineIOPS {
			return iops
		}
	}
	return 0
}

// volumeSummary is a progress line's account of a volume, KMS key
// included: it is read but not recorded.
func volumeSummary(v types.Volume) string {
	s := fmt.Sprintf("%d GiB %s, %d IOPS", aws.ToInt32(v.Size), v.VolumeType, aws.ToInt32(v.Iops))
	if !aws.ToBool(v.Encrypted) {
		return s + ", not encrypted"
	}
	return s + ", encrypted with KMS key " + aws.ToString(v.KmsKeyId)
}

// isDefaultVolume reports whether v is what an inventory without
// machines.rootVolume gets: the installer's worker volume.
func isDefaultVolume(v *inventory.RootVolume) bool {
	return v.SizeGiB == inventory.DefaultRootVolumeGiB && v.Type == inventory.DefaultRootVolumeType &&
		v.IOPS == 0 && v.Encrypted != nil && *v.Encrypted
}

package discover

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/inventory"
)

func TestToRootVolumeRecordsWhatMachineSetsCanUse(t *testing.T) {
	vol := func(typ types.VolumeType, size, iops, throughput int32, encrypted bool) types.Volume {
		return types.Volume{VolumeId: aws.String("vol-0123456789abcdef0"), VolumeType: typ, Size: aws.Int32(size),
			Iops: aws.Int32(iops), Throughput: aws.Int32(throughput), Encrypted: aws.Bool(encrypted)}
	}
	cases := []struct {
		name    string
		vol     types.Volume
		want    *inventory.RootVolume
		finding string
	}{
		{"an io1 volume keeps its provisioned IOPS", vol(types.VolumeTypeIo1, 200, 6000, 0, true),
			&inventory.RootVolume{SizeGiB: 200, Type: "io1", IOPS: 6000, Encrypted: aws.Bool(true)}, ""},
		{"a gp3 volume at its baseline records no IOPS", vol(types.VolumeTypeGp3, 120, 3000, 125, true),
			&inventory.RootVolume{SizeGiB: 120, Type: "gp3", Encrypted: aws.Bool(true)}, ""},
		{"a gp3 volume above its baseline records its IOPS", vol(types.VolumeTypeGp3, 120, 16000, 125, true),
			&inventory.RootVolume{SizeGiB: 120, Type: "gp3", IOPS: 16000, Encrypted: aws.Bool(true)}, ""},
		{"a gp2 volume's IOPS follow from its size and are not recorded", vol(types.VolumeTypeGp2, 300, 900, 0, true),
			&inventory.RootVolume{SizeGiB: 300, Type: "gp2", Encrypted: aws.Bool(true)}, ""},
		{"an unencrypted volume says so", vol(types.VolumeTypeGp3, 120, 3000, 125, false),
			&inventory.RootVolume{SizeGiB: 120, Type: "gp3", Encrypted: aws.Bool(false)}, ""},
		{"a gp3 throughput above the baseline is recorded without it, and told", vol(types.VolumeTypeGp3, 120, 3000, 500, true),
			&inventory.RootVolume{SizeGiB: 120, Type: "gp3", Encrypted: aws.Bool(true)},
			"root volume vol-0123456789abcdef0 of instance i-0f56a78b90c12d345 has a throughput of 500 MiB/s; machines.rootVolume has no throughput, so new machines get gp3's 125 MiB/s"},
		{"a volume type machines.rootVolume does not offer is not recorded, and told", vol(types.VolumeTypeStandard, 120, 0, 0, true), nil,
			"root volume vol-0123456789abcdef0 of instance i-0f56a78b90c12d345 is of type standard, which machines.rootVolume cannot express (gp2, gp3, io1, io2): it is left as it is"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, findings := toRootVolume(tc.vol, "i-0f56a78b90c12d345")
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("root volume (-want +got):\n%s", diff)
			}
			if tc.finding == "" && len(findings) > 0 || tc.finding != "" && (len(findings) != 1 || findings[0] != tc.finding) {
				t.Errorf("findings %q, want %q", findings, tc.finding)
			}
		})
	}
}

func TestDiscoverReadsTheWorkersRootVolume(t *testing.T) {
	t.Run("a non-default volume is the machines' root volume", func(t *testing.T) {
		srv := newServer(t)
		srv.Queue("DescribeVolumes", fixture("io1-root-volume", "DescribeVolumes.xml"))
		res, err := run(t, srv, workshopCluster(t))
		if err != nil {
			t.Fatal(err)
		}
		want := &inventory.RootVolume{SizeGiB: 200, Type: "io1", IOPS: 6000, Encrypted: aws.Bool(true)}
		if diff := cmp.Diff(want, res.Machines.RootVolume); diff != "" {
			t.Errorf("root volume (-want +got):\n%s", diff)
		}
	})
	t.Run("a volume EC2 does not describe is a finding, and nothing is recorded", func(t *testing.T) {
		srv := newServer(t)
		srv.Queue("DescribeVolumes", fixture("empty", "DescribeVolumes.xml"))
		res, err := run(t, srv, workshopCluster(t))
		if err != nil {
			t.Fatal(err)
		}
		want := "EC2 did not describe vol-0f56a78b90c12d345, the root volume of instance i-0f56a78b90c12d345: machines.rootVolume is left as it is"
		if res.Machines.RootVolume != nil || !strings.Contains(strings.Join(res.Findings, "\n"), want) {
			t.Errorf("root volume %+v, findings %q, want none and %q", res.Machines.RootVolume, res.Findings, want)
		}
	})
}

func TestRootVolumeIDIsTheRootDevicesEBSVolume(t *testing.T) {
	ebs := func(device, volume string) types.InstanceBlockDeviceMapping {
		return types.InstanceBlockDeviceMapping{DeviceName: aws.String(device), Ebs: &types.EbsInstanceBlockDevice{VolumeId: aws.String(volume)}}
	}
	cases := []struct {
		name string
		inst types.Instance
		want string
	}{
		{"the root device's volume, not a data volume's", types.Instance{RootDeviceName: aws.String("/dev/xvda"),
			BlockDeviceMappings: []types.InstanceBlockDeviceMapping{ebs("/dev/xvdb", "vol-0data"), ebs("/dev/xvda", "vol-0root")}}, "vol-0root"},
		{"no root device name finds nothing", types.Instance{BlockDeviceMappings: []types.InstanceBlockDeviceMapping{ebs("", "vol-0root")}}, ""},
		{"a root device without an EBS volume finds nothing", types.Instance{RootDeviceName: aws.String("/dev/sda1"),
			BlockDeviceMappings: []types.InstanceBlockDeviceMapping{{DeviceName: aws.String("/dev/sda1")}}}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := rootVolumeID(&tc.inst); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

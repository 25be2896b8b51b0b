package discover

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Summary counts what ApplyPlan changed.
type Summary struct {
	Created, Attached, DeleteOnTermination, Deleted int
}

func (s Summary) String() string {
	if s == (Summary{}) {
		return "no ENI changed"
	}
	var parts []string
	for _, c := range []struct {
		n    int
		what string
	}{{s.Created, "created"}, {s.Attached, "attached"}, {s.DeleteOnTermination, "set to delete on termination"}, {s.Deleted, "deleted"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	return "ENIs: " + strings.Join(parts, ", ")
}

// ApplyPlan runs the plan's actions in order, one line each to w,
// and stops at the first failure. What it did stays done, and the ENI tags
// make a second run resume: a created ENI is found and attached instead of
// created again.
func ApplyPlan(ctx context.Context, client ENIClient, plan *Plan, w io.Writer) (Summary, error) {
	a := applier{client: client, cluster: plan.Cluster, log: progress{w}, created: map[pair]string{}}
	for _, act := range plan.Actions {
		if err := a.run(ctx, act); err != nil {
			return a.sum, fmt.Errorf("%s: %w; run again to resume (ENIs lowlat created are reused)", act, err)
		}
	}
	return a.sum, nil
}

type applier struct {
	client  ENIClient
	cluster string
	log     progress
	created map[pair]string // ENIs this run created, for the AttachENI after
	sum     Summary
}

func (a *applier) run(ctx context.Context, act Action) error {
	switch act.Kind {
	case CreateENI:
		return a.create(ctx, act)
	case AttachENI:
		return a.attach(ctx, act)
	case SetDeleteOnTermination:
		return a.deleteOnTermination(ctx, act.ENI, act.Attachment)
	case DeleteENI:
		if _, err := a.client.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: aws.String(act.ENI)}); err != nil {
			return explain("DeleteNetworkInterface", err)
		}
		a.sum.Deleted++
		a.log.printf("deleted %s (%s)", act.ENI, act.Reason)
		return nil
	}
	return fmt.Errorf("unknown action %q", act.Kind)
}

// create tags the ENI in the same call (TagSpecifications), so that no
// ENI of lowlat's exists untagged even for a moment; the SDK fills in a
// ClientToken, which makes its retries of the call idempotent.
func (a *applier) create(ctx context.Context, act Action) error {
	out, err := a.client.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{
		SubnetId:    aws.String(act.Subnet),
		Description: aws.String(fmt.Sprintf("lowlat %s/%s for %s", a.cluster, act.Network, act.Instance)),
		TagSpecifications: []types.TagSpecification{{
			ResourceType: types.ResourceTypeNetworkInterface,
			Tags: []types.Tag{
				{Key: aws.String(TagCluster), Value: aws.String(a.cluster)},
				{Key: aws.String(TagNetwork), Value: aws.String(act.Network)},
				{Key: aws.String(TagInstance), Value: aws.String(act.Instance)},
			},
		}},
	})
	if err != nil {
		return explain("CreateNetworkInterface", err)
	}
	if out.NetworkInterface == nil || out.NetworkInterface.NetworkInterfaceId == nil {
		return fmt.Errorf("ec2:CreateNetworkInterface answered without a network interface ID")
	}
	id := aws.ToString(out.NetworkInterface.NetworkInterfaceId)
	a.created[pair{act.Instance, act.Network}] = id
	a.sum.Created++
	a.log.printf("created %s in %s for %s (network %s)", id, act.Subnet, act.Instance, act.Network)
	return nil
}

// attach puts the ENI at its planned slot. The card index is sent even
// when it is 0: EC2 has checked an attachment without one against the
// device indexes of every card (cilium/cilium#42512).
func (a *applier) attach(ctx context.Context, act Action) error {
	eni := act.ENI
	if eni == "" {
		eni = a.created[pair{act.Instance, act.Network}]
	}
	if eni == "" {
		return fmt.Errorf("no ENI was created for %s (network %s) to attach", act.Instance, act.Network)
	}
	out, err := a.client.AttachNetworkInterface(ctx, &ec2.AttachNetworkInterfaceInput{
		NetworkInterfaceId: aws.String(eni),
		InstanceId:         aws.String(act.Instance),
		DeviceIndex:        aws.Int32(int32(act.DeviceIndex)),
		NetworkCardIndex:   aws.Int32(int32(act.NetworkCard)),
	})
	if err != nil {
		return explain("AttachNetworkInterface", err)
	}
	attachment := aws.ToString(out.AttachmentId)
	a.sum.Attached++
	a.log.printf("attached %s to %s at %s (%s)", eni, act.Instance, act.slot(), attachment)
	return a.deleteOnTermination(ctx, eni, attachment)
}

// deleteOnTermination makes the ENI go with its instance. An ENI attached
// with AttachNetworkInterface stays, detached, when the instance
// terminates (its attachment's DeleteOnTermination defaults to false);
// without this a MachineSet scale-down or a replaced node would leave one
// ENI, and its address, behind per network.
func (a *applier) deleteOnTermination(ctx context.Context, eni, attachment string) error {
	_, err := a.client.ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{
		NetworkInterfaceId: aws.String(eni),
		Attachment: &types.NetworkInterfaceAttachmentChanges{
			AttachmentId:        aws.String(attachment),
			DeleteOnTermination: aws.Bool(true),
		},
	})
	if err != nil {
		return explain("ModifyNetworkInterfaceAttribute", err)
	}
	a.sum.DeleteOnTermination++
	a.log.printf("set delete-on-termination on %s (%s)", eni, attachment)
	return nil
}

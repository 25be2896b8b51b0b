package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lowlat/lowlat/generator/discover"
)

func newAWSCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "aws",
		Short: "Change the AWS resources a cluster's rendered tree relies on",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newEnsureENIsCommand())
	return cmd
}

type ensureENIsOptions struct {
	inventory []string
	cluster   string
	apply     bool
}

func newEnsureENIsCommand() *cobra.Command {
	o := &ensureENIsOptions{}
	cmd := &cobra.Command{
		Use:   "ensure-enis -f INVENTORY... --cluster NAME [--apply]",
		Short: "Give every instance of the SR-IOV pools one secondary ENI per network",
		Long: `Ensure-enis makes every running instance of a pool that carries SR-IOV
networks have exactly one ENI in each of its networks' subnets. It finds the
instances as discover does (the kubernetes.io/cluster/<infraID> tag, the
pools' instance types and discovery.tags) and plans, per missing ENI: create
it in the network's subnet, tagged lowlat.dev/cluster, lowlat.dev/network and
lowlat.dev/instance; attach it at the lowest free device index of the first
network card with room (the default card 0 first, then card 1 and on, for
types with several cards such as c6in.metal); set it to be deleted with the
instance. Each card takes as many ENIs as DescribeInstanceTypes says; an
instance gets none beyond what its cards take together. That, and what it
cannot fix (two ENIs in one subnet, a subnet in another zone), is reported as
a warning. The plan names the card on types with several.

Without --apply the plan goes to stdout and nothing changes. With it, each
step goes to stderr as it happens and a summary to stdout. Runs are
idempotent and resumable: an ENI lowlat created but did not attach (a run
stopped between the two) is attached instead of created again, and an
available ENI of lowlat's whose instance is gone, or no longer in a pool of
its network, is deleted. An ENI without lowlat's tags is never modified or
deleted.

The AWS SDK's standard configuration applies, as for discover. The calls need
ec2:DescribeInstances, ec2:DescribeInstanceTypes, ec2:DescribeNetworkInterfaces,
ec2:CreateNetworkInterface, ec2:CreateTags, ec2:AttachNetworkInterface,
ec2:ModifyNetworkInterfaceAttribute and ec2:DeleteNetworkInterface.`,
		Example: `  # Show what lab1's instances lack
  lowlat aws ensure-enis -f fixtures/inventories/workshop.yaml --cluster lab1

  # Create and attach it, then record the ENIs in the inventory
  lowlat aws ensure-enis -f fixtures/inventories/workshop.yaml --cluster lab1 --apply
  lowlat discover -f fixtures/inventories/workshop.yaml --cluster lab1 --write`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			return runEnsureENIs(ctx, o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringArrayVarP(&o.inventory, "filename", "f", nil, "inventory file or directory, repeatable for a fleet (required)")
	cmd.Flags().StringVar(&o.cluster, "cluster", "", "name of the cluster in the inventory (required)")
	cmd.Flags().BoolVar(&o.apply, "apply", false, "create, attach and delete ENIs instead of printing the plan")
	_ = cmd.MarkFlagRequired("filename")
	_ = cmd.MarkFlagRequired("cluster")
	return cmd
}

func runEnsureENIs(ctx context.Context, o *ensureENIsOptions, stdout, stderr io.Writer) error {
	_, _, c, err := openCluster(o.inventory, o.cluster)
	if err != nil {
		return err
	}
	client, region, err := ec2Client(ctx, c, stderr)
	if err != nil {
		return err
	}
	plan, err := discover.PlanENIs(ctx, client, c, discover.Options{Progress: stderr, Region: region})
	if err != nil {
		return err
	}
	for _, p := range plan.Problems {
		fmt.Fprintf(stderr, "warning: %s\n", p)
	}
	if len(plan.Actions) == 0 {
		fmt.Fprintf(stdout, "nothing to do: the %d instance(s) of cluster %s's SR-IOV pools have their networks' ENIs\n", plan.Instances, c.Name)
		return unfixed(o.apply, plan)
	}
	if !o.apply {
		for _, a := range plan.Actions {
			fmt.Fprintln(stdout, a)
		}
		fmt.Fprintf(stderr, "%d action(s) planned; run with --apply to carry them out\n", len(plan.Actions))
		return nil
	}
	sum, err := discover.ApplyPlan(ctx, client, plan, stderr)
	fmt.Fprintln(stdout, sum)
	if attached := attachedInstances(plan, sum.Attached); len(attached) > 0 {
		fmt.Fprint(stdout, restartConfigDaemons(attached))
	}
	if err != nil {
		return err
	}
	return unfixed(o.apply, plan)
}

// unfixed fails an --apply run that leaves an instance without all its
// networks' ENIs, so that a pipeline does not go on to render policies for
// ENIs that are not there; the warnings say which.
func unfixed(apply bool, plan *discover.Plan) error {
	if !apply || len(plan.Problems) == 0 {
		return nil
	}
	return fmt.Errorf("%d problem(s) left that ensure-enis cannot fix (see the warnings)", len(plan.Problems))
}

// attachedInstances are the instances of the plan's first n attachments:
// those ApplyPlan carried out, as it runs the plan in order.
func attachedInstances(plan *discover.Plan, n int) []string {
	var out []string
	for _, a := range plan.Actions {
		if a.Kind != discover.AttachENI || n == 0 {
			continue
		}
		n--
		if !slices.Contains(out, a.Instance) {
			out = append(out, a.Instance)
		}
	}
	return out
}

// sriovCheckpoint is where the SR-IOV config daemon keeps a node's
// interfaces on the host (sriov-network-operator cmd/sriov-network-config-daemon
// service.go and pkg/vars: Destdir /host/tmp; pkg/consts CheckpointFileName).
const sriovCheckpoint = "/tmp/sno-initial-node-state.json"

// restartConfigDaemons says what a node that already runs the SR-IOV
// config daemon needs before it sees an ENI attached now: on AWS the
// daemon reads the instance's ENIs from the metadata service only when it
// has no checkpoint, and keeps them in one from then on
// (pkg/platform/aws/aws.go Init; hot plug is not supported).
func restartConfigDaemons(instances []string) string {
	return fmt.Sprintf(`ENIs attached to %s: the SR-IOV config daemon of a node that already runs
reads its ENIs only from its checkpoint, %s on the host. On each such node:
  oc debug node/NODE -- chroot /host rm -f %s
  oc delete pod -n openshift-sriov-network-operator -l app=sriov-network-config-daemon --field-selector spec.nodeName=NODE
`, strings.Join(instances, ", "), sriovCheckpoint, sriovCheckpoint)
}

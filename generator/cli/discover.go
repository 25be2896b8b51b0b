package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go/logging"
	"github.com/spf13/cobra"

	"github.com/lowlat/lowlat/generator/discover"
	"github.com/lowlat/lowlat/generator/inventory"
)

type discoverOptions struct {
	inventory []string
	cluster   string
	write     bool
	lspci     []string
}

func newDiscoverCommand() *cobra.Command {
	o := &discoverOptions{}
	cmd := &cobra.Command{
		Use:   "discover -f INVENTORY... --cluster NAME [--write]",
		Short: "Fill a cluster's instances, ENIs and subnet zones in from the EC2 API",
		Long: `Discover asks the EC2 API which running instances carry the cluster's
kubernetes.io/cluster/<infraID> tag, maps them to node pools by instance type
(and each pool's discovery.tags where pools share a type), and records each
instance's zone, primary subnet and ENIs, and each SR-IOV network's zone.
It checks the instance types EC2 describes against the catalog. From a
worker it reads what the pools' MachineSets boot with into the cluster's
machines block: AMI, instance profile, security groups, metadata service
setting and root volume (size, type, provisioned IOPS, encryption; written
only when it differs from the installer's 120 GiB encrypted gp3 or the block
already has one), the private subnet of each zone, and the zones that offer
each pool's type.

Without --write the updated inventory goes to stdout; with it, the file is
replaced atomically, its comments and field order kept. In a fleet (-f
repeated, or a directory) the file that lists the cluster is the one
updated, and it is checked with the rest of the fleet. Nothing is written
when the discovered facts make the inventory invalid (a network in a primary
ENI's subnet, a subnet in another zone): the problems are listed instead.

The AWS SDK's standard configuration applies: AWS_PROFILE and the shared
config files, AWS_REGION (default: the cluster's region), AWS_ENDPOINT_URL or
AWS_ENDPOINT_URL_EC2, AWS_MAX_ATTEMPTS and AWS_RETRY_MODE. The calls need
ec2:DescribeInstances, ec2:DescribeInstanceTypes, ec2:DescribeNetworkInterfaces,
ec2:DescribeSubnets, ec2:DescribeInstanceTypeOfferings and ec2:DescribeVolumes.
Progress goes to stderr.

The EC2 API does not tell which PCI device id a node's ENIs show: --lspci
checks "lspci -n" captures of nodes for ENA devices the SR-IOV operator does
not support (the ec21 low-latency-queue VF).`,
		Example: `  # Show what discovery finds for lab1
  lowlat discover -f fixtures/inventories/workshop.yaml --cluster lab1

  # Record it in the inventory, with another profile
  AWS_PROFILE=lab lowlat discover -f fixtures/inventories/workshop.yaml --cluster lab1 --write`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			return runDiscover(ctx, o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringArrayVarP(&o.inventory, "filename", "f", nil, "inventory file or directory, repeatable for a fleet (required)")
	cmd.Flags().StringVar(&o.cluster, "cluster", "", "name of the cluster in the inventory (required)")
	cmd.Flags().BoolVar(&o.write, "write", false, "replace the inventory file instead of printing the result")
	cmd.Flags().StringArrayVar(&o.lspci, "lspci", nil, "a `FILE` holding a node's \"lspci -n\" output, checked for ENA devices the SR-IOV operator does not support (repeatable)")
	_ = cmd.MarkFlagRequired("filename")
	_ = cmd.MarkFlagRequired("cluster")
	return cmd
}

func runDiscover(ctx context.Context, o *discoverOptions, stdout, stderr io.Writer) error {
	fleet, file, c, err := openCluster(o.inventory, o.cluster)
	if err != nil {
		return err
	}
	data, err := fleet.ReadFile(file)
	if err != nil {
		return err
	}
	client, region, err := ec2Client(ctx, c, stderr)
	if err != nil {
		return err
	}
	res, err := discover.Discover(ctx, client, c, discover.Options{Progress: stderr, Region: region})
	if err != nil {
		return err
	}
	for _, f := range res.Findings {
		fmt.Fprintf(stderr, "warning: %s\n", f)
	}
	if err := checkCaptures(o.lspci, stderr); err != nil {
		return err
	}
	return writeDiscovered(o.write, fleet, file, data, res, stdout, stderr)
}

// openCluster loads the fleet and finds the cluster the EC2 commands work
// on, with the file that lists it.
func openCluster(paths []string, name string) (*inventory.Fleet, string, *inventory.Cluster, error) {
	fleet, err := inventory.OpenFleet(paths, nil)
	if err != nil {
		return nil, "", nil, err
	}
	file, err := fleet.FileOf(name)
	if err != nil {
		return nil, "", nil, err
	}
	part, err := fleet.Part(file.Path)
	if err != nil {
		return nil, "", nil, err
	}
	c, err := findCluster(part, name)
	return fleet, file.Path, c, err
}

func findCluster(inv *inventory.Inventory, name string) (*inventory.Cluster, error) {
	var names []string
	for i := range inv.Spec.Clusters {
		if inv.Spec.Clusters[i].Name == name {
			return &inv.Spec.Clusters[i], nil
		}
		names = append(names, inv.Spec.Clusters[i].Name)
	}
	return nil, fmt.Errorf("inventory has no cluster %q; its clusters: %s", name, strings.Join(names, ", "))
}

// envAWSLog turns the AWS SDK's logging on (to stderr).
const envAWSLog = "LOWLAT_AWS_LOG"

// noCredentials says what the SDK's credential chain looks for.
const noCredentials = "no AWS credentials found. Give them as the AWS CLI takes them: " +
	"AWS_PROFILE naming a profile in ~/.aws/config or ~/.aws/credentials (aws configure, or aws sso login for an SSO profile), " +
	"or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary ones), " +
	"or run where an IAM role provides them (an EC2 instance profile, EKS pod identity); " +
	"the README lists the read-only policy lowlat needs"

// ec2Client loads the SDK's standard configuration, falling back to the
// cluster's region when none is configured.
// The SDK's own log lines (such as its warning when the instance metadata
// service does not answer) stay off unless LOWLAT_AWS_LOG is set; the
// credentials are checked first, so that missing ones are reported as such.
func ec2Client(ctx context.Context, c *inventory.Cluster, stderr io.Writer) (*ec2.Client, string, error) {
	opts := []func(*config.LoadOptions) error{config.WithDefaultRegion(c.Region)}
	if os.Getenv(envAWSLog) == "" {
		opts = append(opts, config.WithLogger(logging.Nop{}))
	} else {
		opts = append(opts, config.WithLogger(logging.NewStandardLogger(stderr)),
			config.WithClientLogMode(aws.LogRetries|aws.LogRequest|aws.LogResponse))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, "", fmt.Errorf("load AWS configuration: %w", err)
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, "", fmt.Errorf("%s (%s to see the SDK's own messages; it said: %w)", noCredentials, envAWSLog+"=1", err)
	}
	if cfg.Region != c.Region {
		fmt.Fprintf(stderr, "warning: querying region %s (AWS configuration), but cluster %s is in %s\n", cfg.Region, c.Name, c.Region)
	}
	return ec2.NewFromConfig(cfg), cfg.Region, nil
}

func checkCaptures(paths []string, stderr io.Writer) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		findings, err := discover.CheckLspci(p, f)
		f.Close()
		if err != nil {
			return err
		}
		for _, finding := range findings {
			fmt.Fprintf(stderr, "warning: %s\n", finding)
		}
	}
	return nil
}

// writeDiscovered applies the result and writes it only if the inventory
// still loads: discovered facts can reveal a network that must be refused.
func writeDiscovered(write bool, fleet *inventory.Fleet, file string, data []byte, res *discover.Result, stdout, stderr io.Writer) error {
	updated, err := discover.Apply(data, res)
	if err != nil {
		return err
	}
	inv, loadErr := checkEdit(fleet, file, updated)
	if !write {
		// Printed even when invalid: the problems' lines are its lines.
		if _, err := stdout.Write(updated); err != nil {
			return err
		}
	}
	if loadErr != nil {
		return fmt.Errorf("nothing written: the discovered facts make the inventory invalid (lines are those of the updated inventory, which discover prints without --write); fix it and run discover again:\n%w", loadErr)
	}
	printWarnings(stderr, file, inv)
	if !write {
		return nil
	}
	if err := discover.WriteFileAtomic(file, updated); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "updated %s\n", file)
	return nil
}

// checkEdit opens the fleet with updated as file's content and returns
// that file's clusters.
func checkEdit(fleet *inventory.Fleet, file string, updated []byte) (*inventory.Inventory, error) {
	next, err := fleet.WithFile(file, updated)
	if err != nil {
		return nil, err
	}
	return next.Part(file)
}

// printWarnings lists what the inventory's loading found questionable.
func printWarnings(w io.Writer, file string, inv *inventory.Inventory) {
	printProblems(w, file, inventory.Warnings(inv))
}

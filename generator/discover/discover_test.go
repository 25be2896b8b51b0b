package discover

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lowlat/lowlat/generator/discover/ec2test"
	"github.com/lowlat/lowlat/generator/inventory"
)

var (
	fixtures    = filepath.Join("..", "..", "fixtures", "aws")
	workshopInv = filepath.Join("..", "..", "fixtures", "inventories", "workshop.yaml")
)

func fixture(parts ...string) string { return filepath.Join(append([]string{fixtures}, parts...)...) }

// newServer answers from the workshop's recorded answers.
func newServer(t *testing.T) *ec2test.Server { return ec2test.New(t, fixture("workshop")) }

// newClient is an EC2 client for the server whose retryer waits a
// millisecond between attempts instead of the SDK's exponential backoff.
func newClient(srv *ec2test.Server) *ec2.Client {
	cfg := aws.Config{Region: "us-east-2", Credentials: credentials.NewStaticCredentialsProvider("AKIDLOWLATTEST", "secret", "")}
	return ec2.NewFromConfig(cfg, func(o *ec2.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
		})
	})
}

func workshopCluster(t *testing.T) *inventory.Cluster {
	t.Helper()
	inv, err := inventory.Load(workshopInv)
	if err != nil {
		t.Fatal(err)
	}
	return &inv.Spec.Clusters[0]
}

func run(t *testing.T, srv *ec2test.Server, c *inventory.Cluster) (*Result, error) {
	t.Helper()
	var log strings.Builder
	res, err := Discover(context.Background(), newClient(srv), c, Options{Progress: &log, Region: "us-east-2"})
	t.Log(log.String())
	return res, err
}

// TestDiscoverFindsTheWorkshop discovers, across two pages of instances,
// exactly what the workshop inventory records.
func TestDiscoverFindsTheWorkshop(t *testing.T) {
	srv := newServer(t)
	c := workshopCluster(t)
	res, err := run(t, srv, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, np := range c.NodePools {
		if diff := cmp.Diff(np.Instances, res.Pools[np.Name]); diff != "" {
			t.Errorf("pool %s instances (-workshop +discovered):\n%s", np.Name, diff)
		}
	}
	if diff := cmp.Diff(map[string]string{"subnet-0f1e2d3c4b5a69788": "us-east-2a"}, res.Zones); diff != "" {
		t.Errorf("zones (-want +got):\n%s", diff)
	}
	// The workshop's worker has the installer's root volume, which the
	// workshop inventory leaves to the default.
	if diff := cmp.Diff(c.Machines, res.Machines, cmpopts.IgnoreFields(inventory.Machines{}, "UserDataSecret", "CredentialsSecret")); diff != "" {
		t.Errorf("machines (-workshop +discovered):\n%s", diff)
	}
	wantActions := []string{"DescribeInstances", "DescribeInstances", "DescribeInstanceTypes", "DescribeNetworkInterfaces", "DescribeSubnets",
		"DescribeVolumes", "DescribeVolumes", "DescribeSubnets", "DescribeInstanceTypeOfferings"}
	if diff := cmp.Diff(wantActions, srv.Operations()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	wantUnassigned := []Unassigned{{ID: "i-0e45f67a89b01c234", InstanceType: "m6i.xlarge"}, {ID: "i-0f56a78b90c12d345", InstanceType: "m6i.xlarge"}}
	if diff := cmp.Diff(wantUnassigned, res.Unassigned); diff != "" {
		t.Errorf("unassigned (-want +got):\n%s", diff)
	}
	if len(res.Findings) != 1 || !strings.Contains(res.Findings[0], "2 instance(s) of the cluster are in no pool") {
		t.Errorf("findings: %q", res.Findings)
	}
}

func TestDiscoverSendsTheClusterFilters(t *testing.T) {
	srv := newServer(t)
	if _, err := run(t, srv, workshopCluster(t)); err != nil {
		t.Fatal(err)
	}
	calls := srv.FirstAttempts()
	first, second := calls[0].Form, calls[1].Form
	want := map[string]string{
		"Filter.1.Name": "tag:kubernetes.io/cluster/lab1-x7k2p", "Filter.1.Value.1": "owned", "Filter.1.Value.2": "shared",
		"Filter.2.Name": "instance-state-name", "Filter.2.Value.1": "running",
	}
	for k, v := range want {
		if first.Get(k) != v || second.Get(k) != v {
			t.Errorf("%s = %q then %q, want %q on both pages", k, first.Get(k), second.Get(k), v)
		}
	}
	if first.Get("NextToken") != "" || second.Get("NextToken") != "page-2" {
		t.Errorf("NextToken %q then %q, want none then page-2", first.Get("NextToken"), second.Get("NextToken"))
	}
	enis := calls[3].Form
	if enis.Get("Filter.1.Name") != "attachment.instance-id" || enis.Get("Filter.1.Value.3") != "i-0c34d56e78f90a123" {
		t.Errorf("DescribeNetworkInterfaces filter: %v", enis)
	}
	for i, token := range []string{"", "page-2"} {
		volumes := calls[5+i].Form
		if volumes.Get("Action") != "DescribeVolumes" || volumes.Get("Filter.1.Name") != "volume-id" ||
			volumes.Get("Filter.1.Value.1") != "vol-0f56a78b90c12d345" || volumes.Get("NextToken") != token {
			t.Errorf("DescribeVolumes page %d: %v, want the worker's root volume by filter, NextToken %q", i+1, volumes, token)
		}
	}
}

func TestThrottlingIsRetried(t *testing.T) {
	srv := newServer(t)
	throttled := fixture("errors", "RequestLimitExceeded.xml")
	srv.Queue("DescribeInstances", throttled, throttled)
	res, err := run(t, srv, workshopCluster(t))
	if err != nil {
		t.Fatalf("two throttled answers then success: %v", err)
	}
	if n := len(res.Pools["cnf-c5"]); n != 2 {
		t.Errorf("cnf-c5 has %d instances after retries, want 2", n)
	}
	if got := srv.Actions()[:4]; !cmp.Equal(got, []string{"DescribeInstances", "DescribeInstances", "DescribeInstances", "DescribeInstances"}) {
		t.Errorf("calls: %v", got)
	}
	// The SDK numbers its attempts; Operations leaves the retries out.
	var attempts []int
	for _, c := range srv.Calls()[:4] {
		attempts = append(attempts, c.Attempt)
	}
	if !cmp.Equal(attempts, []int{1, 2, 3, 1}) {
		t.Errorf("attempts %v, want 1, 2, 3 then the next page's 1", attempts)
	}
	if got := srv.Operations()[:2]; !cmp.Equal(got, []string{"DescribeInstances", "DescribeInstances"}) {
		t.Errorf("operations: %v", got)
	}
}

func TestCallErrorsNameOperationCodeAndRemedy(t *testing.T) {
	throttled := fixture("errors", "RequestLimitExceeded.xml")
	denied := fixture("errors", "UnauthorizedOperation.xml")
	cases := []struct {
		name   string
		action string
		answer []string
		want   string
	}{
		{"access denied names the missing IAM action", "DescribeInstances", []string{denied},
			"ec2:DescribeInstances failed: UnauthorizedOperation: You are not authorized to perform this operation. User:"},
		{"access denied on interfaces names ec2:DescribeNetworkInterfaces", "DescribeNetworkInterfaces", []string{denied},
			"the credentials lack IAM permission ec2:DescribeNetworkInterfaces"},
		{"access denied on subnets names ec2:DescribeSubnets", "DescribeSubnets", []string{denied},
			"the credentials lack IAM permission ec2:DescribeSubnets"},
		{"a root volume the credentials may not read names ec2:DescribeVolumes", "DescribeVolumes", []string{fixture("errors", "UnauthorizedOperation-DescribeVolumes.xml")},
			"ec2:DescribeVolumes failed: UnauthorizedOperation: You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/lowlat-ci " +
				"is not authorized to perform: ec2:DescribeVolumes because no identity-based policy allows the ec2:DescribeVolumes action; " +
				"the credentials lack IAM permission ec2:DescribeVolumes"},
		{"throttling past the retryer's attempts says how many", "DescribeInstances", []string{throttled, throttled, throttled},
			"ec2:DescribeInstances failed: RequestLimitExceeded after 3 attempts: Request limit exceeded; EC2 kept throttling"},
		{"an instance type EC2 does not know is explained", "DescribeInstanceTypes", []string{fixture("errors", "InvalidInstanceType.xml")},
			"ec2:DescribeInstanceTypes failed: InvalidInstanceType: The following supplied instance types do not exist: [c5.metal]; EC2 does not offer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			srv.Queue(tc.action, tc.answer...)
			_, err := run(t, srv, workshopCluster(t))
			var ce *CallError
			if !errors.As(err, &ce) || ce.Operation != tc.action {
				t.Fatalf("want a CallError of %s, got %v", tc.action, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
		})
	}
}

func TestEmptyAnswers(t *testing.T) {
	t.Run("no running instances leaves every pool empty and says so", func(t *testing.T) {
		srv := newServer(t)
		srv.Queue("DescribeInstances", fixture("empty", "DescribeInstances.xml"))
		res, err := run(t, srv, workshopCluster(t))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Pools) != 2 || len(res.Pools["cnf-c5"])+len(res.Pools["cnf-i3"]) != 0 {
			t.Errorf("pools: %v", res.Pools)
		}
		want := []string{
			"no worker instance of cluster lab1 found to read the AMI, instance profile and security groups of new machines from; set spec.clusters[].machines by hand, or set machineSet: false on pools whose nodes exist",
			"pool cnf-c5: no running c5.metal instance of the cluster found (replicas 2)", "pool cnf-i3: no running i3.metal instance of the cluster found (replicas 1)",
		}
		if diff := cmp.Diff(want, res.Findings); diff != "" {
			t.Errorf("findings (-want +got):\n%s", diff)
		}
		for _, a := range srv.Actions() {
			if a == "DescribeNetworkInterfaces" {
				t.Error("interfaces of no instances were described")
			}
		}
	})
	t.Run("an instance type EC2 does not describe is a finding", func(t *testing.T) {
		srv := newServer(t)
		srv.Queue("DescribeInstanceTypes", fixture("empty", "DescribeInstanceTypes.xml"))
		res, err := run(t, srv, workshopCluster(t))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(res.Findings, "\n"), "instance type c5.metal: EC2 did not describe it in this region") {
			t.Errorf("findings: %q", res.Findings)
		}
	})
	t.Run("a network subnet EC2 does not know is an error", func(t *testing.T) {
		srv := newServer(t)
		srv.Queue("DescribeSubnets", fixture("empty", "DescribeSubnets.xml"))
		_, err := run(t, srv, workshopCluster(t))
		if err == nil || !strings.Contains(err.Error(), "EC2 knows no subnet subnet-0f1e2d3c4b5a69788 in region us-east-2") {
			t.Errorf("got %v", err)
		}
	})
}

func TestShapesAreCheckedAgainstTheCatalog(t *testing.T) {
	srv := ec2test.New(t, fixture("mismatch"), fixture("workshop"))
	res, err := run(t, srv, workshopCluster(t))
	if err != nil {
		t.Fatal(err)
	}
	want := "instance type c5.metal: EC2 and the catalog disagree: memory MiB 188416 (catalog 196608), maximum network interfaces 14 (catalog 15)"
	if !strings.Contains(strings.Join(res.Findings, "\n"), want) {
		t.Errorf("findings %q lack %q", res.Findings, want)
	}
}

package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/discover/ec2test"
)

var (
	awsFixtures  = filepath.Join("..", "..", "fixtures", "aws")
	workshopYAML = filepath.Join("..", "..", "fixtures", "inventories", "workshop.yaml")
	// discovered matches what discover writes into the workshop inventory.
	discoveredInstances = regexp.MustCompile(`(?m)^      instances:\n(?:^        .*\n|^      - .*\n)*`)
	discoveredZone      = regexp.MustCompile(`(?m)^      availabilityZone: .*\n`)
)

// discoverSetup serves the workshop's recorded EC2 answers and writes the
// workshop inventory, less what discovery fills in, to a temporary file.
func discoverSetup(t *testing.T) (srv *ec2test.Server, path string, workshop []byte) {
	t.Helper()
	srv = ec2test.New(t, filepath.Join(awsFixtures, "workshop"))
	srv.Env(t)
	workshop, err := os.ReadFile(workshopYAML)
	if err != nil {
		t.Fatal(err)
	}
	stripped := discoveredZone.ReplaceAll(discoveredInstances.ReplaceAll(workshop, nil), nil)
	path = filepath.Join(t.TempDir(), "workshop.yaml")
	if err := os.WriteFile(path, stripped, 0o644); err != nil {
		t.Fatal(err)
	}
	return srv, path, workshop
}

// lowlatDiscover runs lowlat with no stdin.
func lowlatDiscover(args ...string) (code int, stdout, stderr string) { return runLowlat("", args...) }

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestDiscoverWriteFillsTheInventoryKeepingItsComments(t *testing.T) {
	_, path, workshop := discoverSetup(t)
	code, stdout, stderr := lowlatDiscover("discover", "-f", path, "--cluster", "lab1", "--write")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if diff := cmp.Diff(string(workshop), readFile(t, path)); diff != "" {
		t.Errorf("written inventory (-want +got):\n%s", diff)
	}
	if stdout != "" {
		t.Errorf("--write printed to stdout: %q", stdout)
	}
	for _, want := range []string{
		"DescribeInstances page 2: 1 instance(s)",
		"warning: 2 instance(s) of the cluster are in no pool",
		"updated " + path,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestDiscoverWriteRecordsAWorkersNonDefaultRootVolume(t *testing.T) {
	srv, path, workshop := discoverSetup(t)
	srv.Queue("DescribeVolumes", filepath.Join(awsFixtures, "io1-root-volume", "DescribeVolumes.xml"))
	code, _, stderr := lowlatDiscover("discover", "-f", path, "--cluster", "lab1", "--write")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	const metadata = "      metadataService: Required         # IMDSv2 only, as the workers\n"
	want := strings.Replace(string(workshop), metadata, metadata+"      rootVolume: {sizeGiB: 200, type: io1, iops: 6000, encrypted: true}\n", 1)
	if diff := cmp.Diff(want, readFile(t, path)); diff != "" {
		t.Errorf("written inventory (-want +got):\n%s", diff)
	}
	if want := "DescribeVolumes: root volume vol-0f56a78b90c12d345 of instance i-0f56a78b90c12d345: 200 GiB io1, 6000 IOPS, encrypted with KMS key arn:aws:kms:"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
}

func TestDiscoverWithoutWritePrintsTheInventory(t *testing.T) {
	_, path, workshop := discoverSetup(t)
	before := readFile(t, path)
	code, stdout, stderr := lowlatDiscover("discover", "-f", path, "--cluster", "lab1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if diff := cmp.Diff(string(workshop), stdout); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	if readFile(t, path) != before {
		t.Error("the inventory file changed without --write")
	}
}

func TestDiscoverUsesTheClusterRegionUnlessConfigured(t *testing.T) {
	t.Run("the cluster's region is the default", func(t *testing.T) {
		srv, path, _ := discoverSetup(t)
		if code, _, stderr := lowlatDiscover("discover", "-f", path, "--cluster", "lab1"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if auth := srv.Calls()[0].Authorization; !strings.Contains(auth, "/us-east-2/ec2/aws4_request") {
			t.Errorf("request not signed for us-east-2: %s", auth)
		}
	})
	t.Run("AWS_REGION wins, with a warning", func(t *testing.T) {
		srv, path, _ := discoverSetup(t)
		t.Setenv("AWS_REGION", "us-west-1")
		_, _, stderr := lowlatDiscover("discover", "-f", path, "--cluster", "lab1")
		if auth := srv.Calls()[0].Authorization; !strings.Contains(auth, "/us-west-1/ec2/aws4_request") {
			t.Errorf("request not signed for us-west-1: %s", auth)
		}
		if !strings.Contains(stderr, "warning: querying region us-west-1 (AWS configuration), but cluster lab1 is in us-east-2") {
			t.Errorf("stderr: %s", stderr)
		}
	})
}

func TestDiscoverFailures(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, srv *ec2test.Server, path string)
		args  []string
		want  string
	}{
		{"access denied names the operation, the code and the IAM action",
			func(t *testing.T, srv *ec2test.Server, _ string) {
				srv.Queue("DescribeInstances", filepath.Join(awsFixtures, "errors", "UnauthorizedOperation.xml"))
			}, nil,
			"lowlat: ec2:DescribeInstances failed: UnauthorizedOperation: You are not authorized to perform this operation."},
		{"a root volume the credentials may not read names ec2:DescribeVolumes, and nothing is written",
			func(t *testing.T, srv *ec2test.Server, _ string) {
				srv.Queue("DescribeVolumes", filepath.Join(awsFixtures, "errors", "UnauthorizedOperation-DescribeVolumes.xml"))
			}, nil,
			"lowlat: ec2:DescribeVolumes failed: UnauthorizedOperation: You are not authorized to perform this operation. " +
				"User: arn:aws:iam::123456789012:user/lowlat-ci is not authorized to perform: ec2:DescribeVolumes because no identity-based policy allows the ec2:DescribeVolumes action; " +
				"the credentials lack IAM permission ec2:DescribeVolumes"},
		{"a network found in a primary ENI's subnet is refused and nothing is written",
			func(t *testing.T, srv *ec2test.Server, path string) {
				data := strings.Replace(readFile(t, path), "subnetID: subnet-0f1e2d3c4b5a69788", "subnetID: subnet-0a1b2c3d4e5f60718", 1)
				if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
				srv.Queue("DescribeSubnets", filepath.Join(awsFixtures, "primary-subnet", "DescribeSubnets.xml"))
			}, nil,
			"is the subnet of the primary ENI of i-0a12b34c56d78e901, i-0b23c45d67e89f012 in pool cnf-c5"},
		{"an unknown cluster lists the inventory's clusters", nil, []string{"--cluster", "lab9"},
			`lowlat: inventory has no cluster "lab9"; its clusters: lab1`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, path, _ := discoverSetup(t)
			if tc.setup != nil {
				tc.setup(t, srv, path)
			}
			before := readFile(t, path)
			args := append([]string{"discover", "-f", path, "--write"}, tc.args...)
			if tc.args == nil {
				args = append(args, "--cluster", "lab1")
			}
			code, _, stderr := lowlatDiscover(args...)
			if code == 0 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr lacks %q:\n%s", code, tc.want, stderr)
			}
			if readFile(t, path) != before {
				t.Error("the inventory file changed")
			}
		})
	}
}

func TestDiscoverChecksLspciCaptures(t *testing.T) {
	_, path, _ := discoverSetup(t)
	capture := filepath.Join(t.TempDir(), "node-a.lspci")
	if err := os.WriteFile(capture, []byte("00:05.0 0200: 1d0f:ec21\n00:06.0 0200: 1d0f:ec21\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := lowlatDiscover("discover", "-f", path, "--cluster", "lab1", "--lspci", capture)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "warning: "+capture+": 2 ENA device(s) 1d0f:ec21 (low-latency-queue VF)") {
		t.Errorf("stderr: %s", stderr)
	}
}

// TestDiscoverWithoutCredentials: with no credentials anywhere the SDK
// looks, discover says so and how to give them, and the SDK's own log lines
// (its instance metadata warning) stay off.
func TestDiscoverWithoutCredentials(t *testing.T) {
	srv, path, _ := discoverSetup(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	code, stdout, stderr := lowlatDiscover("discover", "-f", path, "--cluster", "lab1")
	if code == 0 {
		t.Fatalf("exit 0 without credentials: %s", stdout)
	}
	for _, want := range []string{"no AWS credentials found", "AWS_PROFILE", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", "LOWLAT_AWS_LOG=1"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "SDK ") || strings.Contains(stderr, "WARN") {
		t.Errorf("the SDK's log lines reached stderr:\n%s", stderr)
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("%d EC2 calls without credentials", n)
	}
}

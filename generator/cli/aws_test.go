package cli

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/discover/ec2test"
)

// workshopCloud is the workshop's lab1 before its c5.metal instances got
// their sriov-a ENIs, behind a stateful loopback EC2.
func workshopCloud(t *testing.T) *ec2test.Cloud {
	t.Helper()
	cloud := ec2test.NewCloud(t)
	cloud.Env(t)
	cloud.PageSize = 3
	cloud.AddSubnet("subnet-0a1b2c3d4e5f60718", "us-east-2a")
	cloud.AddSubnet("subnet-0b2c3d4e5f6071829", "us-east-2b")
	cloud.AddSubnet("subnet-0f1e2d3c4b5a69788", "us-east-2a")
	lab1 := map[string]string{"kubernetes.io/cluster/lab1-x7k2p": "owned"}
	for _, inst := range []ec2test.Instance{
		{ID: "i-0a12b34c56d78e901", Type: "c5.metal", Zone: "us-east-2a", Subnet: "subnet-0a1b2c3d4e5f60718", Tags: lab1, MaxENIs: 15},
		{ID: "i-0b23c45d67e89f012", Type: "c5.metal", Zone: "us-east-2a", Subnet: "subnet-0a1b2c3d4e5f60718", Tags: lab1, MaxENIs: 15},
		{ID: "i-0c34d56e78f90a123", Type: "i3.metal", Zone: "us-east-2b", Subnet: "subnet-0b2c3d4e5f6071829", Tags: lab1, MaxENIs: 15},
		{ID: "i-0e45f67a89b01c234", Type: "m6i.xlarge", Zone: "us-east-2a", Subnet: "subnet-0a1b2c3d4e5f60718", Tags: lab1, MaxENIs: 4},
	} {
		cloud.AddInstance(inst)
	}
	return cloud
}

func TestAWSEnsureENIsPlansAppliesThenHasNothingToDo(t *testing.T) {
	cloud := workshopCloud(t)
	before := cloud.ENIs()
	code, stdout, stderr := runLowlat("", "aws", "ensure-enis", "-f", workshopYAML, "--cluster", "lab1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := `create ENI in subnet-0f1e2d3c4b5a69788 for i-0a12b34c56d78e901 (network sriov-a)
attach the new ENI to i-0a12b34c56d78e901 at device 1
create ENI in subnet-0f1e2d3c4b5a69788 for i-0b23c45d67e89f012 (network sriov-a)
attach the new ENI to i-0b23c45d67e89f012 at device 1
`
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	if !strings.Contains(stderr, "4 action(s) planned; run with --apply") {
		t.Errorf("stderr: %s", stderr)
	}
	if diff := cmp.Diff(before, cloud.ENIs()); diff != "" {
		t.Errorf("the plan changed ENIs (-before +after):\n%s", diff)
	}
	if auth := cloud.Calls()[0].Authorization; !strings.Contains(auth, "/us-east-2/ec2/aws4_request") {
		t.Errorf("request not signed for the cluster's region us-east-2: %s", auth)
	}

	code, stdout, stderr = runLowlat("", "aws", "ensure-enis", "-f", workshopYAML, "--cluster", "lab1", "--apply")
	if code != 0 {
		t.Fatalf("--apply: exit %d: %s", code, stderr)
	}
	// The SR-IOV config daemon of a running node does not see a new ENI
	// until its checkpoint is gone: the summary says so, per instance.
	if want := "ENIs: 2 created, 2 attached, 2 set to delete on termination\n" +
		"ENIs attached to i-0a12b34c56d78e901, i-0b23c45d67e89f012: the SR-IOV config daemon of a node that already runs\n" +
		"reads its ENIs only from its checkpoint, /tmp/sno-initial-node-state.json on the host. On each such node:\n" +
		"  oc debug node/NODE -- chroot /host rm -f /tmp/sno-initial-node-state.json\n" +
		"  oc delete pod -n openshift-sriov-network-operator -l app=sriov-network-config-daemon --field-selector spec.nodeName=NODE\n"; stdout != want {
		t.Errorf("--apply stdout %q, want %q", stdout, want)
	}
	for _, step := range []string{"created eni-", "attached eni-", " to i-0b23c45d67e89f012 at device 1 (eni-attach-", "set delete-on-termination on eni-"} {
		if !strings.Contains(stderr, step) {
			t.Errorf("--apply stderr lacks %q:\n%s", step, stderr)
		}
	}
	attached := 0
	for _, e := range cloud.ENIs() {
		if e.Subnet == "subnet-0f1e2d3c4b5a69788" && e.Attachment != nil && e.Attachment.DeleteOnTermination && e.Tags["lowlat.dev/network"] == "sriov-a" {
			attached++
		}
	}
	if attached != 2 {
		t.Errorf("%d sriov-a ENIs attached, want 2: %+v", attached, cloud.ENIs())
	}

	code, stdout, stderr = runLowlat("", "aws", "ensure-enis", "-f", workshopYAML, "--cluster", "lab1", "--apply")
	if want := "nothing to do: the 2 instance(s) of cluster lab1's SR-IOV pools have their networks' ENIs\n"; code != 0 || stdout != want {
		t.Errorf("second --apply: exit %d, stdout %q, want %q; stderr %s", code, stdout, want, stderr)
	}
}

func TestAWSEnsureENIsFailureNamesThePermissionAndARerunResumes(t *testing.T) {
	cloud := workshopCloud(t)
	cloud.Fail("AttachNetworkInterface", "UnauthorizedOperation", "You are not authorized to perform this operation.")
	code, stdout, stderr := runLowlat("", "aws", "ensure-enis", "-f", workshopYAML, "--cluster", "lab1", "--apply")
	want := "lowlat: attach the new ENI to i-0a12b34c56d78e901 at device 1: ec2:AttachNetworkInterface failed: UnauthorizedOperation: " +
		"You are not authorized to perform this operation; the credentials lack IAM permission ec2:AttachNetworkInterface; run again to resume"
	if code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr lacks %q:\n%s", code, want, stderr)
	}
	if stdout != "ENIs: 1 created\n" {
		t.Errorf("stdout %q: the summary of what was done", stdout)
	}
	code, stdout, stderr = runLowlat("", "aws", "ensure-enis", "-f", workshopYAML, "--cluster", "lab1")
	if code != 0 || !strings.HasPrefix(stdout, "attach eni-") {
		t.Errorf("the re-run plans to attach the ENI created before, got exit %d:\n%s%s", code, stdout, stderr)
	}
}

func TestAWSEnsureENIsUnknownClusterListsTheClusters(t *testing.T) {
	workshopCloud(t)
	code, _, stderr := runLowlat("", "aws", "ensure-enis", "-f", workshopYAML, "--cluster", "lab9")
	if want := `lowlat: inventory has no cluster "lab9"; its clusters: lab1`; code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr lacks %q:\n%s", code, want, stderr)
	}
}

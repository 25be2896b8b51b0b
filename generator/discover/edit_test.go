package discover

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/inventory"
)

// StripDiscovered removes what discovery writes into the workshop inventory:
// every instances list and the networks' availabilityZone lines.
func stripDiscovered(t *testing.T, data []byte) []byte {
	t.Helper()
	lines := strings.Split(string(data), "\n")
	var out []string
	skipIndent := -1
	for _, line := range lines {
		indent := len(line) - len(strings.TrimLeft(line, " "))
		trimmed := strings.TrimSpace(line)
		if skipIndent >= 0 && (trimmed == "" || indent > skipIndent || strings.HasPrefix(trimmed, "- ") && indent == skipIndent) {
			continue
		}
		skipIndent = -1
		switch {
		case strings.HasPrefix(trimmed, "instances:"):
			skipIndent = indent
			continue
		case strings.HasPrefix(trimmed, "availabilityZone:") && indent == 6:
			continue
		}
		out = append(out, line)
	}
	stripped := []byte(strings.Join(out, "\n"))
	if regexp.MustCompile(`instances:|eni-`).Match(stripped) {
		t.Fatalf("stripping failed:\n%s", stripped)
	}
	return stripped
}

// staleMachines replaces the workshop's machine values with those of an
// older discovery: another security group, one subnet, one offering.
func staleMachines(t *testing.T, data []byte) []byte {
	t.Helper()
	s := string(data)
	for _, edit := range [][2]string{
		{"securityGroups: [sg-0c97f997c40de77bf, sg-0d2e3f4a5b6c7d8e9]", "securityGroups: [sg-0aaaaaaaaaaaaaaaa]"},
		{"      - {zone: us-east-2b, id: subnet-0b2c3d4e5f6071829}\n      - {zone: us-east-2c, id: subnet-0c3d4e5f60718293a}\n", ""},
		{"      - {instanceType: i3.metal, zones: [us-east-2a, us-east-2b]}\n", ""},
	} {
		if !strings.Contains(s, edit[0]) {
			t.Fatalf("the workshop has no %q", edit[0])
		}
		s = strings.Replace(s, edit[0], edit[1], 1)
	}
	return []byte(s)
}

func workshopBytes(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(workshopInv)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func discoverWorkshop(t *testing.T) *Result {
	t.Helper()
	res, err := run(t, newServer(t), workshopCluster(t))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestApplyWritesTheWorkshopBack takes the workshop inventory without its
// discovered parts and with stale machine values, applies what discovery
// found and gets the file back byte for byte: comments, their columns,
// field order and flow styles survive.
func TestApplyWritesTheWorkshopBack(t *testing.T) {
	want := workshopBytes(t)
	got, err := Apply(staleMachines(t, stripDiscovered(t, want)), discoverWorkshop(t))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("applied inventory (-want +got):\n%s", diff)
	}
}

func TestApplyIsIdempotent(t *testing.T) {
	want := workshopBytes(t)
	got, err := Apply(want, discoverWorkshop(t))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("second discovery changed the inventory (-want +got):\n%s", diff)
	}
}

func TestApplyEmptiesAPoolThatLostItsInstances(t *testing.T) {
	res := discoverWorkshop(t)
	res.Pools["cnf-i3"] = nil
	got, err := Apply(workshopBytes(t), res)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "        - {size: 2M, count: 4096}\n      instances: []\n    networks:\n") {
		t.Errorf("cnf-i3 instances not emptied:\n%s", got)
	}
	if _, err := inventory.Parse(got, "workshop.yaml", filepath.Dir(workshopInv)); err != nil {
		t.Errorf("updated inventory does not load: %v", err)
	}
}

func TestApplyKeepsWideSequenceIndentation(t *testing.T) {
	in := "spec:\n  clusters:\n    - name: lab1   # the lab\n      nodePools:\n        - name: cnf\n          replicas: 1\n"
	res := &Result{Cluster: "lab1", Pools: map[string][]inventory.Instance{"cnf": {{ID: "i-0a12b34c56d78e901"}}}}
	got, err := Apply([]byte(in), res)
	if err != nil {
		t.Fatal(err)
	}
	want := in + "          instances:\n            - id: i-0a12b34c56d78e901\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestApplyToAnUnknownClusterIsAnError(t *testing.T) {
	_, err := Apply(workshopBytes(t), &Result{Cluster: "lab9"})
	if err == nil || !strings.Contains(err.Error(), "inventory has no cluster lab9 under spec.clusters") {
		t.Errorf("got %v", err)
	}
}

func TestWriteFileAtomicKeepsModeAndLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "inv.yaml")
	if err := os.WriteFile(path, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(path, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	fi, _ := os.Stat(path)
	entries, _ := os.ReadDir(dir)
	if string(data) != "new\n" || fi.Mode().Perm() != 0o600 || len(entries) != 1 {
		t.Errorf("content %q, mode %v, %d entries", data, fi.Mode().Perm(), len(entries))
	}
}

// TestApplyKeepsTheCommentOfAChangedValue: a new AMI replaces the old one
// on its line, with the line's comment.
func TestApplyKeepsTheCommentOfAChangedValue(t *testing.T) {
	data := strings.Replace(string(workshopBytes(t)), "ami: ami-0c6d8e2f4a1b3c5d7", "ami: ami-0aaaaaaaaaaaaaaaa", 1)
	got, err := Apply([]byte(data), discoverWorkshop(t))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "      ami: ami-0c6d8e2f4a1b3c5d7 # RHCOS, as the installer's workers\n") {
		t.Errorf("the AMI line lost its value or comment:\n%s", got)
	}
}

func TestApplyRecordsTheRootVolume(t *testing.T) {
	const metadata = "      metadataService: Required         # IMDSv2 only, as the workers\n"
	io1 := &inventory.RootVolume{SizeGiB: 200, Type: "io1", IOPS: 6000, Encrypted: ptr(true)}
	installer := &inventory.RootVolume{SizeGiB: 120, Type: "gp3", Encrypted: ptr(true)}
	handSet := metadata + "      rootVolume:\n        sizeGiB: 300    # room for images\n        type: gp3\n        iops: 4000\n"
	cases := []struct {
		name   string
		volume *inventory.RootVolume
		from   string // replaces the metadataService line
		want   string // what replaces it after Apply
	}{
		{"a volume other than the installer's is added to the machines block", io1, metadata,
			metadata + "      rootVolume: {sizeGiB: 200, type: io1, iops: 6000, encrypted: true}\n"},
		{"the installer's volume adds nothing to a block that leaves it to the default", installer, metadata, metadata},
		{"a volume that was not read leaves the block's as it is", nil, handSet, handSet},
		{"an existing rootVolume is updated in place, comments kept, IOPS no longer provisioned removed", installer, handSet,
			metadata + "      rootVolume:\n        sizeGiB: 120 # room for images\n        type: gp3\n        encrypted: true\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := strings.Replace(string(workshopBytes(t)), metadata, tc.from, 1)
			res := discoverWorkshop(t)
			res.Machines.RootVolume = tc.volume
			got, err := Apply([]byte(data), res)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.Replace(string(workshopBytes(t)), metadata, tc.want, 1)
			if diff := cmp.Diff(want, string(got)); diff != "" {
				t.Errorf("applied inventory (-want +got):\n%s", diff)
			}
			inv, err := inventory.Parse(got, "workshop.yaml", filepath.Dir(workshopInv))
			if err != nil {
				t.Fatalf("updated inventory does not load: %v", err)
			}
			if tc.volume != nil {
				if diff := cmp.Diff(tc.volume, inv.Spec.Clusters[0].Machines.RootVolume); diff != "" {
					t.Errorf("loaded root volume (-discovered +loaded):\n%s", diff)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

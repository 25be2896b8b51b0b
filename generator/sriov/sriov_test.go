package sriov

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	nadv1 "github.com/k8snetworkplumbingwg/network-attachment-definition-client/pkg/apis/k8s.cni.cncf.io/v1"
	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/schema"
)

var update = flag.Bool("update", false, "rewrite testdata/*/want.yaml")

// TestGolden renders each testdata/<case>/inventory.yaml and compares the
// objects, as YAML documents in render order, with <case>/want.yaml.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/*/inventory.yaml")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, invPath := range cases {
		dir := filepath.Dir(invPath)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			got := renderYAML(t, objectsOf(t, invPath))
			wantPath := filepath.Join(dir, "want.yaml")
			if *update {
				if err := os.WriteFile(wantPath, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(wantPath)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", wantPath, diff)
			}
		})
	}
}

// TestObjectsMatchUpstreamSchemas checks every golden object against the
// operator's CRDs (through the schema package) and decodes each
// NetworkAttachmentDefinition strictly into the upstream Go type.
func TestObjectsMatchUpstreamSchemas(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*/inventory.yaml")
	for _, invPath := range cases {
		objs := objectsOf(t, invPath)
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "objects.yaml"), renderYAML(t, objs), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := schema.New().ValidatePaths([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Problems {
			t.Errorf("%s: %v", invPath, p)
		}
		if res.Resources != len(objs) {
			t.Errorf("%s: %d resources validated, want %d", invPath, res.Resources, len(objs))
		}
		for _, obj := range objs {
			if nad, ok := obj.(NetworkAttachmentDefinition); ok {
				strictNAD(t, nad)
			}
		}
	}
}

func strictNAD(t *testing.T, nad NetworkAttachmentDefinition) {
	t.Helper()
	data, _ := json.Marshal(nad)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var upstream nadv1.NetworkAttachmentDefinition
	if err := dec.Decode(&upstream); err != nil {
		t.Errorf("%s does not decode into the upstream type: %v", nad.Metadata.Name, err)
	}
	var conf map[string]any
	if err := json.Unmarshal([]byte(upstream.Spec.Config), &conf); err != nil {
		t.Errorf("%s: spec.config is not JSON: %v", nad.Metadata.Name, err)
	}
}

// TestPoliciesFollowTheAWSPlatformRules pins what the operator's webhook and
// AWS platform require of every policy lowlat renders.
func TestPoliciesFollowTheAWSPlatformRules(t *testing.T) {
	// The webhook's rule for resourceName (pkg/webhook/validate.go).
	validResource := regexp.MustCompile(`^[a-zA-Z0-9_]+$`)
	cases, _ := filepath.Glob("testdata/*/inventory.yaml")
	for _, invPath := range cases {
		for _, obj := range objectsOf(t, invPath) {
			if c, commented := obj.(manifest.Commented); commented {
				obj = c.Object
			}
			p, ok := obj.(SriovNetworkNodePolicy)
			if !ok {
				continue
			}
			s := p.Spec
			if !validResource.MatchString(s.ResourceName) {
				t.Errorf("%s: resourceName %q fails the webhook", p.Metadata.Name, s.ResourceName)
			}
			if s.NumVfs != 1 || s.IsRdma || s.Priority < 0 || s.Priority > 99 {
				t.Errorf("%s: numVfs %d, isRdma %t, priority %d", p.Metadata.Name, s.NumVfs, s.IsRdma, s.Priority)
			}
			if !strings.HasPrefix(s.NicSelector.NetFilter, "aws/NetworkID:") || strings.Contains(s.NicSelector.NetFilter, "subnet-") {
				t.Errorf("%s: netFilter %q does not match the AWS platform's aws/NetworkID:<id without subnet->", p.Metadata.Name, s.NicSelector.NetFilter)
			}
		}
	}
}

func TestResourceNameAndNetFilter(t *testing.T) {
	cases := []struct {
		name, in, want string
		fn             func(string) string
	}{
		{"hyphens become underscores in a resource name", "sriov-a", "sriov_a", ResourceName},
		{"a name without hyphens is kept", "ena1", "ena1", ResourceName},
		{"the subnet- prefix is stripped from the filter", "subnet-090ab34e7af072e18", "aws/NetworkID:090ab34e7af072e18", NetFilter},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.fn(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	path := filepath.Join("testdata", "ipam", "inventory.yaml")
	first, second := renderYAML(t, objectsOf(t, path)), renderYAML(t, objectsOf(t, path))
	if !bytes.Equal(first, second) {
		t.Error("two renders of one inventory differ")
	}
}

func TestUnknownIPAMTypeIsAnError(t *testing.T) {
	n := &inventory.Network{Name: "x", IPAM: inventory.IPAM{Type: "dhcp"}}
	if _, err := CNIConfig(n); err == nil || !strings.Contains(err.Error(), `network x: ipam type "dhcp"`) {
		t.Errorf("got %v", err)
	}
}

func objectsOf(t *testing.T, invPath string) []any {
	t.Helper()
	inv, err := inventory.Load(invPath)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := Objects(&inv.Spec.Clusters[0])
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

func renderYAML(t *testing.T, objs []any) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, obj := range objs {
		var comments []manifest.Comment
		if c, ok := obj.(manifest.Commented); ok {
			obj, comments = c.Object, c.Comments
		}
		data, err := yaml.Marshal(obj)
		if err == nil {
			data, err = manifest.WithComments(data, comments)
		}
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("---\n")
		b.Write(data)
	}
	return b.Bytes()
}

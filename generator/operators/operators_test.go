package operators

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	olmv1 "github.com/operator-framework/api/pkg/operators/v1"
	olmv1alpha1 "github.com/operator-framework/api/pkg/operators/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/catalog"
)

func TestEverySupportedVersionHasAChannelForEachOperator(t *testing.T) {
	for _, v := range catalog.SupportedVersions() {
		for _, op := range Installed {
			ch, err := catalog.ChannelFor(v, op.Package)
			if err != nil {
				t.Fatal(err)
			}
			if ch.Channel == "" || ch.Source == "" {
				t.Errorf("%s %s: empty channel or source: %+v", v, op.Package, ch)
			}
		}
	}
	if diff := cmp.Diff([]string{"4.19", "4.20", "4.21", "4.22"}, catalog.SupportedVersions()); diff != "" {
		t.Errorf("supported versions (-want +got):\n%s", diff)
	}
}

func TestAnUnsupportedVersionNamesTheSupportedOnes(t *testing.T) {
	_, err := InstallObjects("4.18")
	if err == nil || !strings.Contains(err.Error(), `OpenShift "4.18"; supported versions: 4.19, 4.20, 4.21`) {
		t.Errorf("want an error listing the supported versions, got %v", err)
	}
}

func strictDecode(t *testing.T, obj, into any) {
	t.Helper()
	data, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		t.Fatalf("%s does not decode into %T: %v", data, into, err)
	}
}

func TestInstallObjectsDecodeIntoOLMTypes(t *testing.T) {
	objs, err := InstallObjects("4.20")
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 3*len(Installed) {
		t.Fatalf("want a Namespace, OperatorGroup and Subscription per operator, got %d objects", len(objs))
	}
	for i, op := range Installed {
		var ns corev1.Namespace
		var og olmv1.OperatorGroup
		var sub olmv1alpha1.Subscription
		strictDecode(t, objs[3*i], &ns)
		strictDecode(t, objs[3*i+1], &og)
		strictDecode(t, objs[3*i+2], &sub)
		if ns.Name != op.Namespace || og.Namespace != op.Namespace || sub.Namespace != op.Namespace {
			t.Errorf("%s: objects in namespaces %s, %s, %s", op.Package, ns.Name, og.Namespace, sub.Namespace)
		}
		if diff := cmp.Diff([]string{op.Namespace}, og.Spec.TargetNamespaces); diff != "" {
			t.Errorf("%s: target namespaces (-want +got):\n%s", op.Package, diff)
		}
		want := olmv1alpha1.SubscriptionSpec{
			Channel: "stable", Package: op.Package, CatalogSource: "redhat-operators",
			CatalogSourceNamespace: SourceNamespace, InstallPlanApproval: olmv1alpha1.ApprovalAutomatic,
		}
		if diff := cmp.Diff(want, *sub.Spec); diff != "" {
			t.Errorf("%s: subscription (-want +got):\n%s", op.Package, diff)
		}
	}
}

func TestSriovConfigDaemonRunsWhereAllSelectorsAgree(t *testing.T) {
	c5 := map[string]string{"node-role.kubernetes.io/cnf-c5": ""}
	i3 := map[string]string{"node-role.kubernetes.io/cnf-i3": ""}
	cases := []struct {
		name      string
		selectors []map[string]string
		want      map[string]string
	}{
		{"one pool's selector is used as is", []map[string]string{c5}, c5},
		{"pools without a common label leave the operator's default", []map[string]string{c5, i3}, nil},
		{"no pools leave the operator's default", nil, nil},
		{"labels every pool shares are kept",
			[]map[string]string{{"zone": "a", "role": "x"}, {"zone": "a", "role": "y"}}, map[string]string{"zone": "a"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := SriovOperatorConfigFor(tc.selectors)
			if diff := cmp.Diff(tc.want, got.Spec.ConfigDaemonNodeSelector); diff != "" {
				t.Errorf("configDaemonNodeSelector (-want +got):\n%s", diff)
			}
			if !got.Spec.EnableInjector || !got.Spec.EnableOperatorWebhook || got.Metadata.Name != "default" {
				t.Errorf("config = %+v", got)
			}
		})
	}
}

// newerHCOFields are HyperConverged fields the v1.8.0 CRD (the newest HCO
// module the proxy serves, under generator/schema/crds) lacks. lowlat
// targets the v1beta1 API of HCO v1.15+ (OpenShift Virtualization 4.19+),
// whose hyperconverged_types.go has both: defaultRuntimeClass since v1.10,
// featureGates.alignCPUs since v1.11.
var newerHCOFields = map[string]bool{"spec.defaultRuntimeClass": true, "spec.featureGates.alignCPUs": true}

func TestOperatorCRsUseOnlyFieldsOfTheirCRDs(t *testing.T) {
	cases := []struct {
		name, crd, version string
		obj                any
		allowed            map[string]bool
	}{
		{"SriovOperatorConfig", "sriovnetwork.openshift.io_sriovoperatorconfig.yaml", "v1",
			SriovOperatorConfigFor([]map[string]string{{"node-role.kubernetes.io/cnf": ""}}), nil},
		{"HyperConverged", "hco.kubevirt.io_hyperconverged.yaml", "v1beta1",
			HyperConvergedFor(VirtSettings{RuntimeClass: "performance-cnf", AlignCPUs: true}), newerHCOFields},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			schema := crdSchema(t, tc.crd, tc.version)
			var obj map[string]any
			strictDecode(t, tc.obj, &obj)
			var unknown []string
			walkFields(obj, schema, "", func(path string) {
				if !tc.allowed[path] {
					unknown = append(unknown, path)
				}
			})
			sort.Strings(unknown)
			if len(unknown) > 0 {
				t.Errorf("fields the CRD does not define: %v", unknown)
			}
		})
	}
}

func crdSchema(t *testing.T, file, version string) *apiextv1.JSONSchemaProps {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "schema", "crds", file))
	if err != nil {
		t.Fatal(err)
	}
	var crd apiextv1.CustomResourceDefinition
	if err := yaml.Unmarshal(data, &crd); err != nil {
		t.Fatal(err)
	}
	for _, v := range crd.Spec.Versions {
		if v.Name == version {
			return v.Schema.OpenAPIV3Schema
		}
	}
	t.Fatalf("%s has no version %s", file, version)
	return nil
}

// walkFields reports every object key the schema does not declare, as the
// API server's pruning would drop it. Metadata is the API server's own.
func walkFields(obj map[string]any, s *apiextv1.JSONSchemaProps, prefix string, unknown func(string)) {
	for k, v := range obj {
		path := strings.TrimPrefix(prefix+"."+k, ".")
		if path == "metadata" || path == "apiVersion" || path == "kind" {
			continue
		}
		prop, ok := s.Properties[k]
		if !ok {
			if s.AdditionalProperties == nil && (s.XPreserveUnknownFields == nil || !*s.XPreserveUnknownFields) {
				unknown(path)
			}
			continue
		}
		if child, isObj := v.(map[string]any); isObj && len(prop.Properties) > 0 {
			walkFields(child, &prop, path, unknown)
		}
	}
}

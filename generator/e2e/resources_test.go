package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lowlat/lowlat/generator/tree"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func resource(apiVersion, kind, namespace, name string) Resource {
	meta := map[string]any{"name": name}
	if namespace != "" {
		meta["namespace"] = namespace
	}
	return Resource{File: "f.yaml", Line: 2, Object: &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": apiVersion, "kind": kind, "metadata": meta}}}
}

func names(rs []Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Object.GetKind()+"/"+r.Object.GetName())
	}
	return out
}

func TestResourcesSkipWhatNeverReachesACluster(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"base/ops/kustomization.yaml":     "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [namespace-a.yaml]\n",
		"base/ops/namespace-a.yaml":       "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n",
		"krm/lab/inventory.yaml":          "apiVersion: lowlat.dev/v1alpha1\nkind: Inventory\nmetadata:\n  name: w\n  annotations: {config.kubernetes.io/function: 'exec: {path: fn}'}\n",
		"krm/lab/topology-x.lscpu":        "CPU NODE\n0 0\n",
		"overlays/aws/lab/two-docs.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one, namespace: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: two, namespace: a}\n",
		"overlays/aws/lab/not-a-map.yaml": "- just\n- a list\n",
	}
	for p, data := range files {
		writeFile(t, filepath.Join(dir, p), tree.Header+data)
	}
	tr, err := tree.Read(dir, []string{"base", "krm", "overlays"})
	if err != nil {
		t.Fatal(err)
	}
	rs, fails := Resources("tree", tr)
	want := []string{"Namespace/a", "ConfigMap/one", "ConfigMap/two"}
	if diff := cmp.Diff(want, names(rs)); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
	if len(fails) != 1 || !strings.HasPrefix(fails[0].Resource, "tree/overlays/aws/lab/not-a-map.yaml:2") {
		t.Errorf("want one failure for not-a-map.yaml, got %v", fails)
	}
	if got := rs[2].String(); got != "tree/overlays/aws/lab/two-docs.yaml:6: ConfigMap/a/two" {
		t.Errorf("String() = %q", got)
	}
}

func TestNamespaces(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		in                   []Resource
		namespaces, platform []string
		send, failed         []string
	}{{
		name: "a namespace the tree creates serves its resources",
		in: []Resource{resource("v1", "ConfigMap", "lab", "c"), resource("v1", "Namespace", "", "lab"),
			resource("performance.openshift.io/v2", "PerformanceProfile", "", "p")},
		namespaces: []string{"Namespace/lab"},
		send:       []string{"ConfigMap/c", "PerformanceProfile/p"},
	}, {
		name:   "a namespace nothing creates is a failure and the resource is not sent",
		in:     []Resource{resource("v1", "ConfigMap", "lowlat-typo", "c")},
		failed: []string{`f.yaml:2: ConfigMap/lowlat-typo/c: namespace "lowlat-typo" is neither in the tree nor provided by the platform`},
	}, {
		name: "the namespace ArgoCD's kinds live in is provided by the platform, for other kinds too",
		in: []Resource{resource("argoproj.io/v1alpha1", "Application", "argocd", "app"),
			resource("v1", "ConfigMap", "argocd", "argocd-cm")},
		platform: []string{"argocd"},
		send:     []string{"Application/app", "ConfigMap/argocd-cm"},
	}, {
		name:     "openshift-gitops is provided by the platform",
		in:       []Resource{resource("v1", "ConfigMap", "openshift-gitops", "argocd-cm")},
		platform: []string{"openshift-gitops"},
		send:     []string{"ConfigMap/argocd-cm"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			nss, platform, send, fails := Namespaces(tc.in)
			var failed []string
			for _, f := range fails {
				failed = append(failed, f.String())
			}
			got := []any{names(nss), platform, names(send), failed}
			want := []any{tc.namespaces, tc.platform, tc.send, tc.failed}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("namespaces, platform, send, failed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRuntimeClassesFollowTheNodeTuningOperator(t *testing.T) {
	in := []Resource{
		resource("performance.openshift.io/v2", "PerformanceProfile", "", "cnf-i3"),
		resource("performance.openshift.io/v2", "PerformanceProfile", "", "cnf-c5"),
		resource("performance.openshift.io/v2", "PerformanceProfile", "", "cnf-c5"),
		resource("v1", "Pod", "w", "cnf-x"),
	}
	var got []string
	for _, rc := range RuntimeClasses(in) {
		got = append(got, rc.GetName()+" "+rc.Object["handler"].(string))
	}
	want := []string{"performance-cnf-c5 high-performance", "performance-cnf-i3 high-performance"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("runtime classes (-want +got):\n%s", diff)
	}
}

func writeFile(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

package e2e

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/lowlat/lowlat/generator/schema"
	"github.com/lowlat/lowlat/generator/tree"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Resource is one document of a rendered tree.
type Resource struct {
	File   string // path inside the tree, with the tree's label in front
	Line   int
	Object *unstructured.Unstructured
}

// String names the resource the way kubectl does, with where it comes from.
func (r Resource) String() string {
	id := r.Object.GetKind() + "/" + r.Object.GetName()
	if ns := r.Object.GetNamespace(); ns != "" {
		id = r.Object.GetKind() + "/" + ns + "/" + r.Object.GetName()
	}
	return fmt.Sprintf("%s:%d: %s", r.File, r.Line, id)
}

// Failure is a resource the API server (or the harness, before asking it)
// rejected, with the reason.
type Failure struct {
	Resource string // as Resource.String, or the file when it did not parse
	Message  string
}

func (f Failure) String() string { return f.Resource + ": " + f.Message }

// kustomizeGroup holds the kustomization files, which tell kustomize what to
// build and are never sent to a cluster.
const kustomizeGroup = "kustomize.config.k8s.io"

// functionAnnotation marks a KRM function's config (lowlat's Inventory under
// krm/): kustomize hands it to the function, and it never reaches a cluster.
const functionAnnotation = "config.kubernetes.io/function"

// Resources reads every resource of a tree's YAML files in path order,
// skipping kustomizations and KRM function configs. Files that do not parse
// as resources are failures; label goes in front of each path so a message
// says which tree it is about.
func Resources(label string, t *tree.Tree) ([]Resource, []Failure) {
	var out []Resource
	var fails []Failure
	for _, p := range t.Paths() {
		if !strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".yml") {
			continue // data files the tree carries, such as lscpu captures
		}
		data, _ := t.File(p)
		file := path.Join(label, p)
		docs, problems := schema.ReadDocuments(file, data)
		for _, pr := range problems {
			fails = append(fails, Failure{Resource: fmt.Sprintf("%s:%d", pr.File, pr.Line), Message: pr.Message})
		}
		for _, d := range docs {
			u := &unstructured.Unstructured{Object: d.Object}
			if strings.HasPrefix(u.GetAPIVersion(), kustomizeGroup+"/") || u.GetAnnotations()[functionAnnotation] != "" {
				continue
			}
			out = append(out, Resource{File: file, Line: d.Line, Object: u})
		}
	}
	return out, fails
}

// platformNamespaces are namespaces a cluster has before lowlat's tree is
// synced, so resources may live there without the tree creating them.
var platformNamespaces = map[string]string{
	"default":               "Kubernetes",
	"openshift-gitops":      "the OpenShift GitOps operator",
	"openshift-machine-api": "the machine-api-operator of the OpenShift release payload",
	// The console reads dashboards from here (monitoring.DashboardNamespace).
	"openshift-config-managed": "the cluster-config-operator of the OpenShift release payload",
}

// argoGroup's kinds live where ArgoCD runs, a namespace its installation
// creates (openshift-gitops, or argocd upstream), so whichever namespace the
// tree puts them in is one the platform provides.
const argoGroup = "argoproj.io"

// Namespaces splits a tree's resources into its Namespace objects, the
// namespaces the platform provides that the rest use, the resources to send,
// and a failure for every resource whose namespace is neither in the tree
// nor provided by the platform (the server would say only "not found", and
// only for the first tree that lacked it).
func Namespaces(rs []Resource) (namespaces []Resource, platform []string, send []Resource, fails []Failure) {
	have, provided := map[string]bool{}, map[string]bool{}
	for _, r := range rs {
		switch {
		case isKind(r, "", "Namespace"):
			have[r.Object.GetName()] = true
		case r.Object.GroupVersionKind().Group == argoGroup && r.Object.GetNamespace() != "":
			provided[r.Object.GetNamespace()] = true
		}
	}
	for _, r := range rs {
		ns := r.Object.GetNamespace()
		switch {
		case isKind(r, "", "Namespace"):
			namespaces = append(namespaces, r)
		case ns == "" || have[ns]:
			send = append(send, r)
		case provided[ns] || platformNamespaces[ns] != "":
			provided[ns] = true
			send = append(send, r)
		default:
			fails = append(fails, Failure{Resource: r.String(),
				Message: fmt.Sprintf("namespace %q is neither in the tree nor provided by the platform", ns)})
		}
	}
	for ns := range provided {
		if !have[ns] {
			platform = append(platform, ns)
		}
	}
	sort.Strings(platform)
	return namespaces, platform, send, fails
}

func isKind(r Resource, group, kind string) bool {
	return r.Object.GroupVersionKind().Group == group && r.Object.GetKind() == kind
}

// runtimeClassHandler is the CRI-O handler the Node Tuning Operator names in
// the RuntimeClass it creates for each PerformanceProfile
// (cluster-node-tuning-operator, components/machineconfig HighPerformanceRuntime).
const runtimeClassHandler = "high-performance"

// RuntimeClasses are the RuntimeClasses the Node Tuning Operator would
// create for the tree's PerformanceProfiles ("performance-<profile>"), which
// Pods that ask for them need: the RuntimeClass admission plug-in rejects a
// Pod whose runtimeClassName does not exist.
func RuntimeClasses(rs []Resource) []*unstructured.Unstructured {
	names := map[string]bool{}
	for _, r := range rs {
		if isKind(r, "performance.openshift.io", "PerformanceProfile") {
			names["performance-"+r.Object.GetName()] = true
		}
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	out := make([]*unstructured.Unstructured, 0, len(sorted))
	for _, n := range sorted {
		out = append(out, &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "node.k8s.io/v1", "kind": "RuntimeClass",
			"metadata": map[string]any{"name": n},
			"handler":  runtimeClassHandler,
		}})
	}
	return out
}

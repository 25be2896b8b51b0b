package argocd_test

import (
	"bytes"
	"encoding/json"
	"path"
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/argocd/health"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/render"
	"github.com/lowlat/lowlat/generator/tree"
)

var inventories = []string{"../../fixtures/inventories/workshop.yaml", "testdata/fleet.yaml"}

// TestEveryArgoCDObjectDecodesStrictlyIntoArgoCDTypes is the oracle for the
// light structs: ArgoCD's own v1alpha1 types accept every field.
func TestEveryArgoCDObjectDecodesStrictlyIntoArgoCDTypes(t *testing.T) {
	kinds := map[string]func() any{
		"Application":    func() any { return &v1alpha1.Application{} },
		"AppProject":     func() any { return &v1alpha1.AppProject{} },
		"ApplicationSet": func() any { return &v1alpha1.ApplicationSet{} },
	}
	seen := map[string]int{}
	for _, file := range inventories {
		tr := renderFile(t, file)
		for _, p := range tr.Paths() {
			data, _ := tr.File(p)
			obj := decode(t, p, data)
			id := manifest.Identify(obj)
			if id.Group != "argoproj.io" || kinds[id.Kind] == nil {
				continue
			}
			seen[id.Kind]++
			strictDecode(t, p, obj, kinds[id.Kind]())
		}
	}
	for kind := range kinds {
		if seen[kind] == 0 {
			t.Errorf("no %s rendered", kind)
		}
	}
}

// TestProjectsAllowExactlyWhatTheClusterSyncs asks ArgoCD's own AppProject
// methods: every resource of every child is permitted, every child's source
// and destination too, and each whitelist entry and destination is needed
// by at least one of them.
func TestProjectsAllowExactlyWhatTheClusterSyncs(t *testing.T) {
	for _, file := range inventories {
		inv, tr := loadAndRender(t, file)
		for _, c := range inv.Spec.Clusters {
			t.Run(path.Base(file)+"/"+c.Name, func(t *testing.T) {
				proj, apps := projectAndApps(t, tr, c.Name)
				dest := &v1alpha1.Cluster{Server: c.Destination.Server, Name: c.Destination.Name}
				uses := usage{}
				for _, app := range apps {
					checkApplication(t, tr, proj, dest, app, uses)
				}
				checkEveryEntryIsUsed(t, proj, uses)
				if ok, _ := proj.IsResourcePermitted(schema.GroupKind{Group: "apps", Kind: "Deployment"}, "x", "lowlat-workloads", dest, noClusters); ok {
					t.Error("a kind lowlat does not render is permitted")
				}
				if ok, _ := proj.IsDestinationPermitted(dest, "kube-system", noClusters); ok {
					t.Error("a namespace lowlat does not use is permitted")
				}
			})
		}
	}
}

func TestHealthChecksInstallTheSameScriptsBothWays(t *testing.T) {
	tr := renderFile(t, inventories[0])
	cr := decode(t, "cr", file(t, tr, "apps/health/openshift-gitops/argocd-openshift-gitops.yaml"))
	cm := decode(t, "cm", file(t, tr, "apps/health/argocd/configmap-argocd-cm.yaml"))
	data := cm["data"].(map[string]any)
	checks := cr["spec"].(map[string]any)["resourceHealthChecks"].([]any)
	if len(checks) != len(data) || len(checks) < 2 {
		t.Fatalf("%d checks in the ArgoCD CR, %d in argocd-cm", len(checks), len(data))
	}
	for _, c := range checks {
		c := c.(map[string]any)
		key := health.Check{Group: c["group"].(string), Kind: c["kind"].(string)}.ConfigMapKey()
		if data[key] != c["check"] {
			t.Errorf("%s: the ConfigMap's script differs from the CR's", key)
		}
	}
	if _, ok := data["resource.customizations.health.argoproj.io_Application"]; !ok {
		t.Error("the Application check, which the app-of-apps needs, is missing")
	}
}

var noClusters = func(string) ([]*v1alpha1.Cluster, error) { return nil, nil }

// usage records what the project entries were needed for.
type usage map[string]bool

func checkApplication(t *testing.T, tr *tree.Tree, proj *v1alpha1.AppProject, dest *v1alpha1.Cluster, app *v1alpha1.Application, uses usage) {
	t.Helper()
	if !proj.IsSourcePermitted(*app.Spec.Source) {
		t.Errorf("%s: source %s not permitted", app.Name, app.Spec.Source.RepoURL)
	}
	if ok, err := proj.IsDestinationPermitted(dest, app.Spec.Destination.Namespace, noClusters); !ok || err != nil {
		t.Errorf("%s: destination namespace %q not permitted (%v)", app.Name, app.Spec.Destination.Namespace, err)
	}
	uses["ns:"+app.Spec.Destination.Namespace] = true
	dir := strings.TrimPrefix(app.Spec.Source.Path, "gitops/low-latency/")
	files, err := tree.Build(tr, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		id := manifest.Identify(f.Object)
		gk := schema.GroupKind{Group: id.Group, Kind: id.Kind}
		if ok, err := proj.IsResourcePermitted(gk, id.Name, id.Namespace, dest, noClusters); !ok || err != nil {
			t.Errorf("%s: %s not permitted by the project (%v)", app.Name, id, err)
		}
		uses[kindKey(id.Group, id.Kind, id.Namespace != "")] = true
		if id.Namespace != "" {
			uses["ns:"+id.Namespace] = true
		}
	}
	if app.Spec.SyncPolicy.SyncOptions.HasOption("CreateNamespace=true") {
		uses[kindKey("", "Namespace", false)] = true
	}
}

func checkEveryEntryIsUsed(t *testing.T, proj *v1alpha1.AppProject, uses usage) {
	t.Helper()
	for _, gk := range proj.Spec.ClusterResourceWhitelist {
		if !uses[kindKey(gk.Group, gk.Kind, false)] {
			t.Errorf("cluster-scoped %s/%s is allowed but never synced", gk.Group, gk.Kind)
		}
	}
	for _, gk := range proj.Spec.NamespaceResourceWhitelist {
		if !uses[kindKey(gk.Group, gk.Kind, true)] {
			t.Errorf("namespaced %s/%s is allowed but never synced", gk.Group, gk.Kind)
		}
	}
	for _, d := range proj.Spec.Destinations {
		if !uses["ns:"+d.Namespace] {
			t.Errorf("destination namespace %q is allowed but never used", d.Namespace)
		}
	}
	if len(proj.Spec.SourceRepos) != 1 {
		t.Errorf("source repos %v, want the inventory's repository only", proj.Spec.SourceRepos)
	}
}

func kindKey(group, kind string, namespaced bool) string {
	if namespaced {
		return "namespaced:" + group + "/" + kind
	}
	return "cluster:" + group + "/" + kind
}

func projectAndApps(t *testing.T, tr *tree.Tree, cluster string) (*v1alpha1.AppProject, []*v1alpha1.Application) {
	t.Helper()
	files, err := tree.Build(tr, layout.AppsDir(cluster))
	if err != nil {
		t.Fatal(err)
	}
	var proj *v1alpha1.AppProject
	var apps []*v1alpha1.Application
	for _, f := range files {
		switch manifest.Identify(f.Object).Kind {
		case "AppProject":
			proj = &v1alpha1.AppProject{}
			strictDecode(t, f.Path, f.Object, proj)
		case "Application":
			app := &v1alpha1.Application{}
			strictDecode(t, f.Path, f.Object, app)
			if app.Spec.Project != render.ProjectName(cluster) {
				t.Errorf("%s: project %s", app.Name, app.Spec.Project)
			}
			apps = append(apps, app)
		}
	}
	if proj == nil || len(apps) == 0 {
		t.Fatalf("apps/%s has no AppProject or no Application", cluster)
	}
	return proj, apps
}

func strictDecode(t *testing.T, p string, obj map[string]any, into any) {
	t.Helper()
	data, _ := json.Marshal(obj)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		t.Errorf("%s: %v", p, err)
	}
}

func decode(t *testing.T, p string, data []byte) map[string]any {
	t.Helper()
	var obj map[string]any
	if err := yaml.Unmarshal(data, &obj); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return obj
}

func file(t *testing.T, tr *tree.Tree, p string) []byte {
	t.Helper()
	data, ok := tr.File(p)
	if !ok {
		t.Fatalf("no %s", p)
	}
	return data
}

func loadAndRender(t *testing.T, file string) (*inventory.Inventory, *tree.Tree) {
	t.Helper()
	inv, err := inventory.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := render.Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	return inv, tr
}

func renderFile(t *testing.T, file string) *tree.Tree {
	_, tr := loadAndRender(t, file)
	return tr
}

package render

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/lowlat/lowlat/generator/argocd"
	"github.com/lowlat/lowlat/generator/canary"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/perftest"
	"github.com/lowlat/lowlat/generator/tree"
)

// The apps/ layout. A cluster's root Application, created by hand (or by
// the fleet's ApplicationSet), syncs apps/<cluster>/: its AppProject and one
// child Application per component. The root is not in the directory it
// syncs: an Application that manages itself is part of its own health, and
// with the Application health check installed it never leaves Progressing.
// apps/health/ is installed by hand, once per ArgoCD. The paths are
// package layout's.

// Labels on every ArgoCD object lowlat renders.
const (
	ClusterLabel   = "lowlat.dev/cluster"
	ComponentLabel = "lowlat.dev/component"
)

// ProjectName is a cluster's AppProject.
func ProjectName(cluster string) string { return "lowlat-" + cluster }

// RootName is a cluster's root Application.
func RootName(cluster string) string { return cluster + "-root" }

// ChildName is the Application of one component of a cluster.
func ChildName(cluster, component string) string { return cluster + "-" + component }

func addObjects(t *tree.Tree, dir string, objs ...any) error {
	for _, o := range objs {
		if _, err := t.Add(dir, o); err != nil {
			return err
		}
	}
	return nil
}

// appObjects returns a cluster's AppProject and child Applications, one per
// non-empty component in sync order.
func appObjects(inv *inventory.Inventory, c *inventory.Cluster, rendered renderedCluster) []any {
	created := namespacesCreated(rendered)
	var children []argocd.Application
	for _, comp := range Components {
		objs := rendered[comp.Name]
		if len(objs) == 0 {
			continue
		}
		children = append(children, childApplication(inv, c, comp.Name, objs, created))
	}
	var out []any
	for _, o := range append(controllerRights(inv, c, rendered), runRevisionRights(inv, c)...) {
		out = append(out, manifest.Commented{Object: o, Comments: []manifest.Comment{{Path: waveKey,
			Text: fmt.Sprintf("wave %d: ArgoCD's rights, before the AppProject (%d) and everything synced with them", controllerRightsWave(), projectWave())}}})
	}
	out = append(out, manifest.Commented{Object: project(inv, c, rendered, children), Comments: []manifest.Comment{{Path: waveKey,
		Text: fmt.Sprintf("wave %d: before every child Application, which names it", projectWave())}}})
	for _, a := range children {
		out = append(out, manifest.Commented{Object: a, Comments: []manifest.Comment{applicationWaveComment(a.Metadata.Labels[ComponentLabel])}})
	}
	return out
}

// childApplication syncs overlays/aws/<cluster>/<component>. Its
// destination namespace is the one namespace its objects use, if they use
// one; ArgoCD creates it when no component renders it.
func childApplication(inv *inventory.Inventory, c *inventory.Cluster, component string, objs []map[string]any, created map[string]bool) argocd.Application {
	g := inv.Spec.GitOps
	ns := soleNamespace(objs)
	var options []string
	if ns != "" && !created[ns] {
		options = append(options, "CreateNamespace=true")
	}
	ignored := ownedOnCluster(c, component)
	if len(ignored) > 0 {
		options = append(options, respectIgnoreDifferences)
	}
	wave := componentWaves[component]
	return argocd.NewApplication(ChildName(c.Name, component), g.Namespace, wave,
		map[string]string{ClusterLabel: c.Name, ComponentLabel: component},
		argocd.ApplicationSpec{
			Project:           ProjectName(c.Name),
			Source:            argocd.Source{RepoURL: g.RepoURL, TargetRevision: g.TargetRevision, Path: path.Join(g.Path, layout.ClusterDir(c.Name), component)},
			Destination:       destination(c, ns),
			SyncPolicy:        argocd.AutomatedSync(options...),
			IgnoreDifferences: ignored,
		})
}

// respectIgnoreDifferences makes a sync keep the live value of an ignored
// field: without it ArgoCD applies the whole manifest, ignored fields too
// (argo-cd v3.3.19 controller/sync.go normalizeTargetResources).
const respectIgnoreDifferences = "RespectIgnoreDifferences=true"

// ownedOnCluster lists the fields of a component's objects that git no
// longer decides once they exist: the spec.paused of each pool held for
// its canary (package canary) is the canary controller's (git holds
// paused: true so that a new pool is created held), and the baseline
// Job's spec is the one it ran with: a baseline measures the untuned
// pool once, Job specs are immutable, and later changes are re-tests.
func ownedOnCluster(c *inventory.Cluster, component string) []argocd.IgnoreDifference {
	if component == ComponentPerftestBaseline && c.PerfTests != nil {
		return []argocd.IgnoreDifference{{Group: "batch", Kind: "Job", Name: perftest.BaselineName(), Namespace: c.PerfTests.Namespace, JSONPointers: []string{"/spec"}}}
	}
	if component != ComponentTuning {
		return nil
	}
	var out []argocd.IgnoreDifference
	for _, pool := range canary.Pools(c) {
		out = append(out, argocd.IgnoreDifference{
			Group: "machineconfiguration.openshift.io", Kind: "MachineConfigPool", Name: pool,
			JSONPointers: []string{"/spec/paused"},
		})
	}
	return out
}

// rootApplication syncs apps/<cluster>/ into ArgoCD's own namespace. It is
// in the default project, which exists before anything is synced.
func rootApplication(g inventory.GitOps, cluster string) argocd.Application {
	app := argocd.NewApplication(RootName(cluster), g.Namespace, 0, map[string]string{ClusterLabel: cluster}, rootSpec(g, cluster))
	app.Metadata.Annotations = nil
	return app
}

// rootFileName is the file of a cluster's root Application in
// apps/roots/, as the cluster's unit writes it.
func rootFileName(cluster string) string { return tree.FileName("Application", RootName(cluster)) }

// clusterOfRootFile reads rootFileName back: the cluster whose root
// Application file name is this.
func clusterOfRootFile(name string) (string, bool) {
	prefix, suffix, _ := strings.Cut(rootFileName("\x00"), "\x00")
	c := strings.TrimSuffix(strings.TrimPrefix(name, prefix), suffix)
	return c, c != "" && rootFileName(c) == name
}

func rootSpec(g inventory.GitOps, cluster string) argocd.ApplicationSpec {
	return argocd.ApplicationSpec{
		Project:     "default",
		Source:      argocd.Source{RepoURL: g.RepoURL, TargetRevision: g.TargetRevision, Path: path.Join(g.Path, layout.AppsDir(cluster))},
		Destination: argocd.Destination{Server: inventory.InClusterServer, Namespace: g.Namespace},
		SyncPolicy:  argocd.AutomatedSync(),
	}
}

// addFleet writes the alternative to creating each root by hand, for
// fleets of more than one cluster: one ApplicationSet whose list generator
// stamps out every cluster's root. Its list is made as it is written
// (manifest.List): a fleet's ApplicationSet is never held whole.
func addFleet(t *tree.Tree, inv *inventory.Inventory, clusters []string) error {
	if len(clusters) < 2 {
		return nil
	}
	data, err := json.Marshal(fleet(inv))
	if err != nil {
		return err
	}
	m, err := manifest.Object(data)
	if err != nil {
		return err
	}
	generators, _ := m["spec"].(map[string]any)["generators"].([]any)
	if len(generators) != 1 {
		return fmt.Errorf("ApplicationSet %s has %d generators, want its list generator", inv.Metadata.Name, len(generators))
	}
	list, _ := generators[0].(map[string]any)["list"].(map[string]any)
	if list == nil {
		return fmt.Errorf("ApplicationSet %s has no list generator", inv.Metadata.Name)
	}
	list["elements"] = manifest.List{Len: len(clusters), At: func(i int) any { return map[string]any{"cluster": clusters[i]} }}
	_, err = t.AddObject(layout.AppsFleetDir, m)
	return err
}

// fleet is the fleet's ApplicationSet without its list's elements.
func fleet(inv *inventory.Inventory) argocd.ApplicationSet {
	g := inv.Spec.GitOps
	const cluster = "{{.cluster}}"
	template := argocd.Template{
		Metadata: argocd.Meta{Name: RootName(cluster), Namespace: g.Namespace, Labels: kube.Labels(map[string]string{ClusterLabel: cluster})},
		Spec:     rootSpec(g, cluster),
	}
	return argocd.NewListApplicationSet(inv.Metadata.Name, g.Namespace, nil, nil, template)
}

func destination(c *inventory.Cluster, namespace string) argocd.Destination {
	return argocd.Destination{Server: c.Destination.Server, Name: c.Destination.Name, Namespace: namespace}
}

// soleNamespace is the namespace all namespaced objects share, or "".
func soleNamespace(objs []map[string]any) string {
	ns := ""
	for _, m := range objs {
		switch id := manifest.Identify(m); {
		case id.Namespace == "":
		case ns == "":
			ns = id.Namespace
		case ns != id.Namespace:
			return ""
		}
	}
	return ns
}

// namespacesCreated lists the Namespace objects a cluster renders.
func namespacesCreated(rendered renderedCluster) map[string]bool {
	out := map[string]bool{}
	for _, objs := range rendered {
		for _, m := range objs {
			if id := manifest.Identify(m); id.Group == "" && id.Kind == "Namespace" {
				out[id.Name] = true
			}
		}
	}
	return out
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package render

import (
	"path"
	"slices"
	"sort"

	"github.com/lowlat/lowlat/generator/argocd"
	"github.com/lowlat/lowlat/generator/argocd/health"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/parallel"
	"github.com/lowlat/lowlat/generator/tree"
)

// Unit is one part of a rendered tree that is written on its own: one
// cluster's files, or the files the fleet shares. A unit owns every file
// below its Dirs, and the files of Tree outside them (a cluster's root
// Application in apps/roots/, the fleet's apps/roots/kustomization.yaml).
type Unit struct {
	// Cluster is the cluster's name, "" for the fleet's shared files.
	Cluster string
	Dirs    []string
	Tree    *tree.Tree
	// Summary is what the fleet's shared files need of a cluster.
	Summary Summary
}

// Summary is what the fleet's shared files need to know of one cluster:
// the kinds it renders (for the health checks) and its root Application's
// file (for apps/roots/kustomization.yaml). It is small, so that a fleet's
// summaries fit in memory when its clusters do not.
type Summary struct {
	Kinds    []string `json:"kinds,omitempty"`
	RootFile string   `json:"rootFile,omitempty"`
}

// Stream renders a validated inventory one unit at a time: every cluster
// (in parallel; emit must be safe for concurrent use), then the fleet's
// shared files. Only the units being rendered are held in memory.
func Stream(inv *inventory.Inventory, emit func(Unit) error) error {
	r, err := NewRenderer(inv)
	if err != nil {
		return err
	}
	kinds := make([][]string, len(inv.Spec.Clusters))
	names := make([]string, len(inv.Spec.Clusters))
	err = parallel.Each(len(inv.Spec.Clusters), func(i int) error {
		c := &inv.Spec.Clusters[i]
		names[i] = c.Name
		u, err := r.Cluster(inv, c)
		if err != nil {
			return err
		}
		kinds[i] = u.Summary.Kinds
		return emit(u)
	})
	if err != nil {
		return err
	}
	u, err := r.Fleet(names, slices.Concat(kinds...))
	if err != nil {
		return err
	}
	return emit(u)
}

// Renderer renders one fleet's units; the fleet's clusters may be given
// a few at a time (inventory.Fleet.Each). Its methods may be called from
// several goroutines.
type Renderer struct {
	shared *inventory.Inventory
	base   shared
}

// NewRenderer prepares the rendering of a fleet from its fleet-wide
// settings (the clusters of shared are not used).
func NewRenderer(shared *inventory.Inventory) (*Renderer, error) {
	base, err := renderBase(shared)
	if err != nil {
		return nil, err
	}
	return &Renderer{shared: shared, base: base}, nil
}

// Cluster renders one cluster of inv, an inventory with the fleet's
// settings.
func (r *Renderer) Cluster(inv *inventory.Inventory, c *inventory.Cluster) (Unit, error) {
	return clusterUnit(inv, c, r.base)
}

// Fleet renders the files the fleet shares, from the names of all its
// clusters in order and the kinds they render (their summaries' kinds, in
// any order and repeated or not): a fleet keeps no more of each cluster
// than its name.
func (r *Renderer) Fleet(clusters []string, kinds []string) (Unit, error) {
	return fleetUnit(r.shared, r.base, clusters, kinds)
}

// fleetDirs are the directories the fleet's unit owns; it also writes
// apps/roots/kustomization.yaml, beside the clusters' root Applications.
var fleetDirs = []string{"base", layout.AppsFleetDir, layout.AppsHealthDir}

// Owned says which paths of the output the render of these clusters (in
// any order) keeps: the directories of every cluster's unit and of the
// fleet's, the clusters' root Applications and the roots' kustomization.
// It keeps no copy of the names beyond one sorted list.
func (r *Renderer) Owned(clusters []string) tree.Owned {
	live := slices.Sorted(slices.Values(clusters))
	has := func(c string) bool { _, ok := slices.BinarySearch(live, c); return ok }
	apps := r.shared.Spec.GitOps.RepoURL != ""
	rootsKustomization := path.Join(layout.AppsRootsDir, tree.KustomizationFile)
	return func(p string, dir bool) bool {
		switch {
		case dir && slices.Contains(fleetDirs, p):
			return true
		case dir:
			c := path.Base(p)
			return has(c) && slices.Contains(ClusterDirs(c), p)
		case !apps || path.Dir(p) != layout.AppsRootsDir:
			return false
		case p == rootsKustomization:
			return true
		}
		c, ok := clusterOfRootFile(path.Base(p))
		return ok && has(c)
	}
}

// ClusterDirs are the directories a cluster's unit owns.
func ClusterDirs(cluster string) []string {
	return []string{layout.ClusterDir(cluster), layout.AppsDir(cluster), layout.KRMDir(cluster)}
}

// clusterUnit renders one cluster: its overlay, its ArgoCD objects, its
// KRM entry point and its root Application.
func clusterUnit(inv *inventory.Inventory, c *inventory.Cluster, base shared) (Unit, error) {
	t := tree.New()
	extra := map[string][]string{}
	rendered := renderedCluster{}
	root := layout.ClusterDir(c.Name)
	err := eachComponent(inv, c, base, func(comp string, base, own []annotated) error {
		dir := path.Join(root, comp)
		for _, o := range own {
			if _, err := t.AddObject(dir, o.m, o.comments...); err != nil {
				return err
			}
		}
		if len(base) > 0 {
			extra[dir] = []string{relBase(comp)}
		}
		if len(own) > 0 || len(base) > 0 {
			extra[root] = append(extra[root], comp)
			rendered[comp] = append(maps(base), maps(own)...)
		}
		return nil
	})
	if err != nil {
		return Unit{}, err
	}
	u := Unit{Cluster: c.Name, Dirs: ClusterDirs(c.Name), Tree: t, Summary: Summary{Kinds: kindsOf(rendered)}}
	g := inv.Spec.GitOps
	if g.RepoURL != "" {
		if err := addObjects(t, layout.AppsDir(c.Name), appObjects(inv, c, rendered)...); err != nil {
			return Unit{}, err
		}
	}
	if err := t.Kustomize(extra); err != nil {
		return Unit{}, err
	}
	// Added after Kustomize: apps/roots/ is the fleet's directory, and the
	// KRM entry point's kustomization lists generators, not resources.
	if g.RepoURL != "" {
		if u.Summary.RootFile, err = t.Add(layout.AppsRootsDir, rootApplication(g, c.Name)); err != nil {
			return Unit{}, err
		}
	}
	return u, renderKRM(t, inv, c)
}

// fleetUnit renders the files every cluster shares: base/, the fleet's
// ApplicationSet, the health checks and apps/roots/kustomization.yaml.
func fleetUnit(inv *inventory.Inventory, base shared, clusters []string, kinds []string) (Unit, error) {
	t := tree.New()
	u := Unit{Dirs: fleetDirs, Tree: t}
	for _, comp := range Components {
		for _, o := range base[comp.Name] {
			if _, err := t.AddObject(layout.BaseDir(comp.Name), o.m, o.comments...); err != nil {
				return Unit{}, err
			}
		}
	}
	extra := map[string][]string{}
	if g := inv.Spec.GitOps; g.RepoURL != "" {
		used := map[string]bool{}
		for _, k := range kinds {
			used[k] = true
		}
		roots := make([]string, len(clusters))
		for i, c := range clusters {
			roots[i] = rootFileName(c)
		}
		extra[layout.AppsRootsDir] = roots
		if err := addFleet(t, inv, clusters); err != nil {
			return Unit{}, err
		}
		checks := health.For(func(group, kind string) bool { return used[group+"/"+kind] })
		if err := addObjects(t, path.Join(layout.AppsHealthDir, "openshift-gitops"), argocd.HealthChecksPatch(g.Namespace, checks)); err != nil {
			return Unit{}, err
		}
		if err := addObjects(t, path.Join(layout.AppsHealthDir, "argocd"), argocd.HealthChecksConfigMap(g.Namespace, checks)); err != nil {
			return Unit{}, err
		}
	}
	return u, t.Kustomize(extra)
}

// kindsOf lists the group/kind of every object a cluster renders, sorted.
func kindsOf(rendered renderedCluster) []string {
	set := map[string]bool{}
	for _, objs := range rendered {
		for _, m := range objs {
			id := manifest.Identify(m)
			set[id.Group+"/"+id.Kind] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

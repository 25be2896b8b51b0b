// Package layout is the one place that knows where lowlat puts things in a
// repository, in both directions: the paths render writes (base/,
// overlays/aws/<cluster>/, apps/, krm/), and what a path of a rendered tree
// belongs to, for the readers (review, ordering).
package layout

import (
	"path"
	"sort"
	"strings"
)

// Roots are the top-level directories lowlat owns in a repository.
var Roots = []string{"base", "overlays", "apps", "krm"}

// Directories under apps/ that are not a cluster's; a cluster may not be
// named like them.
const (
	roots  = "roots"
	fleet  = "fleet"
	health = "health"
)

// ReservedClusterNames are the names apps/ uses for itself.
var ReservedClusterNames = []string{fleet, health, roots}

// Where the shared ArgoCD objects live.
var (
	AppsRootsDir  = path.Join("apps", roots)
	AppsFleetDir  = path.Join("apps", fleet)
	AppsHealthDir = path.Join("apps", health)
)

// kustomization is the file that makes a directory a kustomization.
const kustomization = "kustomization.yaml"

// BaseDir holds what every cluster shares of a component.
func BaseDir(component string) string { return path.Join("base", component) }

// ClusterDir is a cluster's overlay; its components are subdirectories.
func ClusterDir(cluster string) string { return path.Join("overlays", "aws", cluster) }

// AppsDir is the directory a cluster's root Application syncs.
func AppsDir(cluster string) string { return path.Join("apps", cluster) }

// KRMDir holds a cluster's KRM function entry point.
func KRMDir(cluster string) string { return path.Join("krm", cluster) }

// PlaceKind says what part of the layout a path is in.
type PlaceKind int

// The parts of the layout.
const (
	// Other is anything outside the layout below.
	Other PlaceKind = iota
	// Base is base/<component>/...
	Base
	// Component is overlays/aws/<cluster>/<component>/...
	Component
	// ClusterRoot is overlays/aws/<cluster>/kustomization.yaml.
	ClusterRoot
	// Apps is apps/<cluster>/..., and apps/roots|fleet|health/...
	Apps
	// KRM is krm/<cluster>/...
	KRM
)

// Place is what a path of a rendered tree belongs to.
type Place struct {
	Kind PlaceKind
	// Cluster is the cluster's name, or for Apps the directory under
	// apps/ (a cluster, or roots, fleet, health).
	Cluster string
	// Component is the component directory (Base and Component).
	Component string
}

// Locate reads a slash path of a rendered tree.
func Locate(p string) Place {
	parts := strings.Split(p, "/")
	switch {
	case parts[0] == "base" && len(parts) >= 3:
		return Place{Kind: Base, Component: parts[1]}
	case parts[0] == "overlays" && len(parts) >= 5 && parts[1] == "aws":
		return Place{Kind: Component, Cluster: parts[2], Component: parts[3]}
	case parts[0] == "overlays" && len(parts) == 4 && parts[1] == "aws" && parts[3] == kustomization:
		return Place{Kind: ClusterRoot, Cluster: parts[2]}
	case parts[0] == "apps" && len(parts) >= 3:
		return Place{Kind: Apps, Cluster: parts[1]}
	case parts[0] == "krm" && len(parts) >= 3:
		return Place{Kind: KRM, Cluster: parts[1]}
	}
	return Place{Kind: Other}
}

// OverlayClusters lists, sorted, the clusters whose overlay entry point is
// among paths.
func OverlayClusters(paths []string) []string {
	seen := map[string]bool{}
	for _, p := range paths {
		if pl := Locate(p); pl.Kind == ClusterRoot {
			seen[pl.Cluster] = true
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

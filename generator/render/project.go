package render

import (
	"sort"

	"github.com/lowlat/lowlat/generator/argocd"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/manifest"
)

// project is a cluster's AppProject. It allows exactly what the cluster's
// children sync: the repository, the destination cluster with the
// namespaces the rendered objects (and the children's destinations) use,
// and the group/kinds of the rendered objects, cluster-scoped and
// namespaced apart. A kind added to a component is refused by ArgoCD until
// the tree is rendered again, which is the point.
func project(inv *inventory.Inventory, c *inventory.Cluster, rendered renderedCluster, children []argocd.Application) argocd.AppProject {
	clusterKinds, namespacedKinds, namespaces := map[argocd.GroupKind]bool{}, map[argocd.GroupKind]bool{}, map[string]bool{}
	for _, objs := range rendered {
		for _, m := range objs {
			id := manifest.Identify(m)
			gk := argocd.GroupKind{Group: id.Group, Kind: id.Kind}
			if id.Namespace == "" {
				clusterKinds[gk] = true
			} else {
				namespacedKinds[gk] = true
				namespaces[id.Namespace] = true
			}
		}
	}
	for _, a := range children {
		namespaces[a.Spec.Destination.Namespace] = true
		if createsNamespace(a) {
			// ArgoCD creates the namespace as a resource of the sync, which
			// the project must allow like any other.
			clusterKinds[argocd.GroupKind{Kind: "Namespace"}] = true
		}
	}
	var destinations []argocd.Destination
	for _, ns := range sortedKeys(namespaces) {
		destinations = append(destinations, destination(c, ns))
	}
	return argocd.NewAppProject(ProjectName(c.Name), inv.Spec.GitOps.Namespace, projectWave(),
		map[string]string{ClusterLabel: c.Name},
		argocd.AppProjectSpec{
			Description:                "What lowlat renders for cluster " + c.Name + " of inventory " + inv.Metadata.Name,
			SourceRepos:                []string{inv.Spec.GitOps.RepoURL},
			Destinations:               destinations,
			ClusterResourceWhitelist:   sortedKinds(clusterKinds),
			NamespaceResourceWhitelist: sortedKinds(namespacedKinds),
		})
}

func createsNamespace(a argocd.Application) bool {
	if a.Spec.SyncPolicy == nil {
		return false
	}
	return contains(a.Spec.SyncPolicy.SyncOptions, "CreateNamespace=true")
}

// sortedKinds returns the set sorted by group then kind; never nil, since
// ArgoCD reads a missing namespaced whitelist as "allow every kind".
func sortedKinds(set map[argocd.GroupKind]bool) []argocd.GroupKind {
	out := make([]argocd.GroupKind, 0, len(set))
	for gk := range set {
		out = append(out, gk)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Group != out[j].Group {
			return out[i].Group < out[j].Group
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

package render

import (
	"sort"
	"strconv"
	"strings"

	"github.com/lowlat/lowlat/generator/argocd"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/manifest"
)

// The application controller's rights.
//
// OpenShift GitOps gives the default instance's application controller
// read access to everything but write access only to a few API groups
// (redhat-developer/gitops-operator controllers/argocd/openshift/openshift.go,
// policyRulesForClusterConfig, at 5a448d94d11e: operators.coreos.com,
// operator.openshift.io, user/config/console.openshift.io, namespaces,
// persistent volumes and claims, config maps, rbac.authorization.k8s.io,
// storage.k8s.io, machine.openshift.io, machineconfiguration.openshift.io,
// compliance scan-setting bindings). Most of what lowlat renders (PerformanceProfile,
// SR-IOV, KubeVirt, NetworkAttachmentDefinition, Jobs, Pods, service
// accounts, admission policies) is outside that, and a sync fails with
// "forbidden". The root Application therefore syncs, before the AppProject
// and every child, a ClusterRole that grants exactly the kinds the
// cluster's children sync, bound to the controller's service account. The
// default rights include every verb on rbac.authorization.k8s.io
// (escalate and bind too), which is what lets the root create it.
//
// Only an in-cluster destination gets it: for a cluster ArgoCD reaches
// through a cluster secret, the secret's credentials decide.
const inClusterServer = "https://kubernetes.default.svc"

// ControllerRightsName names the ClusterRole and ClusterRoleBinding.
func ControllerRightsName(cluster string) string {
	return "lowlat-" + cluster + "-application-controller"
}

// controllerAccounts are the application controller's service accounts:
// OpenShift GitOps' default instance (argocd-operator names it
// <ArgoCD name>-argocd-application-controller) and upstream ArgoCD's
// install manifests.
var controllerAccounts = []string{"openshift-gitops-argocd-application-controller", "argocd-application-controller"}

// controllerVerbs are what syncing, self-healing and pruning need.
var controllerVerbs = []string{"get", "list", "watch", "create", "update", "patch", "delete"}

// controllerRights returns the ClusterRole and ClusterRoleBinding for a
// cluster with an in-cluster destination, or nothing.
func controllerRights(inv *inventory.Inventory, c *inventory.Cluster, rendered renderedCluster) []any {
	if c.Destination.Name != "" || (c.Destination.Server != "" && c.Destination.Server != inClusterServer) {
		return nil
	}
	byGroup := map[string]map[string]bool{}
	for _, objs := range rendered {
		for _, m := range objs {
			id := manifest.Identify(m)
			if byGroup[id.Group] == nil {
				byGroup[id.Group] = map[string]bool{}
			}
			byGroup[id.Group][Resource(id.Kind)] = true
		}
	}
	// ArgoCD creates the namespaces of CreateNamespace=true itself.
	if byGroup[""] == nil {
		byGroup[""] = map[string]bool{}
	}
	byGroup[""]["namespaces"] = true
	groups := make([]string, 0, len(byGroup))
	for g := range byGroup {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	var rules []kube.PolicyRule
	for _, g := range groups {
		rules = append(rules, kube.PolicyRule{APIGroups: []string{g}, Resources: sortedKeys(byGroup[g]), Verbs: controllerVerbs})
	}
	name := ControllerRightsName(c.Name)
	ns := inv.Spec.GitOps.Namespace
	wave := map[string]string{argocd.SyncWaveAnnotation: strconv.Itoa(controllerRightsWave())}
	var subjects []kube.Subject
	for _, sa := range controllerAccounts {
		subjects = append(subjects, kube.AccountSubject(sa, ns))
	}
	meta := kube.ObjectMeta{Name: name, Labels: kube.Labels(map[string]string{ClusterLabel: c.Name}), Annotations: wave}
	role, binding := kube.ClusterRoleGrant(meta, rules, subjects...)
	return []any{role, binding}
}

// controllerRightsWave comes before the AppProject and every child.
func controllerRightsWave() int { return projectWave() - 1 }

// irregularResources are the kinds whose resource name is not the
// lower-cased kind made plural.
var irregularResources = map[string]string{
	"NetworkAttachmentDefinition": "network-attachment-definitions",
}

// Resource is the API resource (plural) of a kind lowlat renders; a test
// checks every rendered kind against its CRD or the built-in API.
func Resource(kind string) string {
	if r, ok := irregularResources[kind]; ok {
		return r
	}
	k := strings.ToLower(kind)
	switch {
	case strings.HasSuffix(k, "y"):
		return k[:len(k)-1] + "ies"
	case strings.HasSuffix(k, "s"):
		return k + "es"
	}
	return k + "s"
}

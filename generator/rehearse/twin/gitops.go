package twin

import (
	"context"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	gvrServiceAccount     = schema.GroupVersionResource{Version: "v1", Resource: "serviceaccounts"}
	gvrClusterRole        = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"}
	gvrClusterRoleBinding = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterrolebindings"}
	gvrRole               = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "roles"}
	gvrRoleBinding        = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings"}
	gvrAppProject         = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "appprojects"}
	gvrArgoCD             = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1beta1", Resource: "argocds"}
)

// The OpenShift GitOps default instance.
const (
	gitopsNamespace = "openshift-gitops"
	gitopsInstance  = "openshift-gitops"
	// controllerAccount is the application controller's service account
	// (<instance>-argocd-application-controller).
	controllerAccount = "openshift-gitops-argocd-application-controller"
)

// gitopsClusterRules are the cluster-wide rights the GitOps operator gives
// the default instance's application controller
// (redhat-developer/gitops-operator controllers/argocd/openshift/openshift.go,
// policyRulesForClusterConfig, at 5a448d94d11e, 2026-08-06): read
// everything, write only OLM, the OpenShift config and operator APIs,
// namespaces, volumes and config maps, RBAC, storage, the machine APIs and
// compliance scan-setting bindings, and impersonate service accounts.
func gitopsClusterRules() []any {
	all := []any{"*"}
	rule := func(group string, resources []any, verbs []any) map[string]any {
		return map[string]any{"apiGroups": []any{group}, "resources": resources, "verbs": verbs}
	}
	rules := []any{
		rule("*", all, []any{"get", "list", "watch"}),
		map[string]any{"nonResourceURLs": all, "verbs": []any{"get", "list"}},
	}
	for _, g := range []string{"operators.coreos.com", "operator.openshift.io", "user.openshift.io", "config.openshift.io", "console.openshift.io"} {
		rules = append(rules, rule(g, all, all))
	}
	rules = append(rules, rule("", []any{"namespaces", "persistentvolumeclaims", "persistentvolumes", "configmaps"}, all))
	for _, g := range []string{"rbac.authorization.k8s.io", "storage.k8s.io", "machine.openshift.io", "machineconfiguration.openshift.io"} {
		rules = append(rules, rule(g, all, all))
	}
	rules = append(rules,
		rule("compliance.openshift.io", []any{"scansettingbindings"}, all),
		rule("", []any{"serviceaccounts"}, []any{"impersonate"}))
	return rules
}

// installGitOps creates what installing OpenShift GitOps leaves: the
// default ArgoCD instance (no health checks of lowlat's yet), the default
// AppProject, the application controller's service account, its
// cluster-wide rights, and full rights in its own namespace (where it
// writes Applications).
func (t *Twin) installGitOps(ctx context.Context) error {
	argocd := object("argoproj.io/v1beta1", "ArgoCD", gitopsNamespace, gitopsInstance)
	argocd["spec"] = map[string]any{"server": map[string]any{"route": map[string]any{"enabled": true}}}
	project := object("argoproj.io/v1alpha1", "AppProject", gitopsNamespace, "default")
	project["spec"] = map[string]any{
		"sourceRepos":              []any{"*"},
		"destinations":             []any{map[string]any{"server": "*", "namespace": "*"}},
		"clusterResourceWhitelist": []any{map[string]any{"group": "*", "kind": "*"}},
	}
	sa := object("v1", "ServiceAccount", gitopsNamespace, controllerAccount)
	name := gitopsNamespace + "-" + controllerAccount
	role := object("rbac.authorization.k8s.io/v1", "ClusterRole", "", name)
	role["rules"] = gitopsClusterRules()
	subject := []any{map[string]any{"kind": "ServiceAccount", "name": controllerAccount, "namespace": gitopsNamespace}}
	binding := object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "", name)
	binding["roleRef"] = map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name}
	binding["subjects"] = subject
	local := object("rbac.authorization.k8s.io/v1", "Role", gitopsNamespace, controllerAccount)
	local["rules"] = []any{map[string]any{"apiGroups": []any{"*"}, "resources": []any{"*"}, "verbs": []any{"*"}}}
	localBinding := object("rbac.authorization.k8s.io/v1", "RoleBinding", gitopsNamespace, controllerAccount)
	localBinding["roleRef"] = map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": controllerAccount}
	localBinding["subjects"] = subject
	// `argocd cluster add` registers a cluster with the account
	// kube-system/argocd-manager and every right on it (ClusterRole
	// argocd-manager-role: all verbs on everything).
	manager := object("v1", "ServiceAccount", "kube-system", "argocd-manager")
	managerRole := object("rbac.authorization.k8s.io/v1", "ClusterRole", "", "argocd-manager-role")
	managerRole["rules"] = []any{
		map[string]any{"apiGroups": []any{"*"}, "resources": []any{"*"}, "verbs": []any{"*"}},
		map[string]any{"nonResourceURLs": []any{"*"}, "verbs": []any{"*"}},
	}
	managerBinding := object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "", "argocd-manager-role-binding")
	managerBinding["roleRef"] = map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "argocd-manager-role"}
	managerBinding["subjects"] = []any{map[string]any{"kind": "ServiceAccount", "name": "argocd-manager", "namespace": "kube-system"}}
	for _, step := range []struct {
		gvr schema.GroupVersionResource
		obj map[string]any
	}{
		{gvrArgoCD, argocd}, {gvrAppProject, project}, {gvrServiceAccount, sa},
		{gvrClusterRole, role}, {gvrClusterRoleBinding, binding}, {gvrRole, local}, {gvrRoleBinding, localBinding},
		{gvrServiceAccount, manager}, {gvrClusterRole, managerRole}, {gvrClusterRoleBinding, managerBinding},
	} {
		if err := t.apply(ctx, "install", step.gvr, step.obj); err != nil {
			return err
		}
	}
	return nil
}

package argocd

import (
	"github.com/lowlat/lowlat/generator/argocd/health"
	"github.com/lowlat/lowlat/generator/kube"
)

// ArgoCD is the argoproj.io/v1beta1 ArgoCD CR of the argocd-operator (which
// OpenShift GitOps ships), reduced to the health checks: applied with
// server-side apply it sets that one field of the existing instance.
type ArgoCD struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta `json:"metadata"`
	Spec          ArgoCDSpec      `json:"spec"`
}

// ArgoCDSpec holds the instance's extra resource health checks.
type ArgoCDSpec struct {
	ResourceHealthChecks []ResourceHealthCheck `json:"resourceHealthChecks"`
}

// ResourceHealthCheck is one Lua health check of the ArgoCD CR.
type ResourceHealthCheck struct {
	Group string `json:"group,omitempty"`
	Kind  string `json:"kind"`
	Check string `json:"check"`
}

// OpenShiftGitOpsNamespace holds the default instance of OpenShift GitOps,
// which is named like its namespace.
const OpenShiftGitOpsNamespace = "openshift-gitops"

// InstanceName is the name of the ArgoCD CR in namespace: openshift-gitops
// for the OpenShift GitOps default instance, else argocd, the name the
// argocd-operator documentation gives an instance.
func InstanceName(namespace string) string {
	if namespace == OpenShiftGitOpsNamespace {
		return OpenShiftGitOpsNamespace
	}
	return "argocd"
}

// HealthChecksPatch is the ArgoCD CR carrying checks, for OpenShift GitOps,
// whose operator owns argocd-cm and would revert edits to it.
func HealthChecksPatch(namespace string, checks []health.Check) ArgoCD {
	cr := ArgoCD{
		TypeMeta: kube.TypeMeta{APIVersion: "argoproj.io/v1beta1", Kind: "ArgoCD"},
		Metadata: kube.ObjectMeta{Name: InstanceName(namespace), Namespace: namespace},
		Spec:     ArgoCDSpec{ResourceHealthChecks: []ResourceHealthCheck{}},
	}
	for _, c := range checks {
		cr.Spec.ResourceHealthChecks = append(cr.Spec.ResourceHealthChecks, ResourceHealthCheck{Group: c.Group, Kind: c.Kind, Check: c.Script})
	}
	return cr
}

// HealthChecksConfigMap is the argocd-cm fragment carrying checks, for an
// ArgoCD installed from its upstream manifests. ArgoCD only reads settings
// ConfigMaps labelled app.kubernetes.io/part-of=argocd.
func HealthChecksConfigMap(namespace string, checks []health.Check) kube.ConfigMap {
	cm := kube.ConfigMap{
		TypeMeta: kube.TypeMeta{APIVersion: kube.CoreAPIVersion, Kind: "ConfigMap"},
		Metadata: kube.ObjectMeta{Name: "argocd-cm", Namespace: namespace, Labels: map[string]string{"app.kubernetes.io/part-of": "argocd"}},
		Data:     map[string]string{},
	}
	for _, c := range checks {
		cm.Data[c.ConfigMapKey()] = c.Script
	}
	return cm
}

// Package argocd holds the ArgoCD objects lowlat emits: Application,
// AppProject and ApplicationSet (argoproj.io/v1alpha1), and the two ways of
// installing resource health checks, a patch of the OpenShift GitOps ArgoCD
// CR (argoproj.io/v1beta1, spec.resourceHealthChecks) and an argocd-cm
// ConfigMap fragment for plain ArgoCD.
//
// The types are small structs with the JSON tags of
// github.com/argoproj/argo-cd/v3 pkg/apis/application/v1alpha1. That package
// pulls in about 1,300 packages (Kubernetes, gRPC, go-git) and adds a tenth
// of a second to every start of the binary, which kustomize execs as a KRM
// function on every build. Tests strictly decode every emitted object into
// ArgoCD's own types instead, and ask ArgoCD's AppProject methods whether
// each rendered resource is permitted.
package argocd

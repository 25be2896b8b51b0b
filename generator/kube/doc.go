// Package kube is the home of the Kubernetes kinds lowlat renders from the
// core, batch and rbac.authorization.k8s.io groups (Namespace, ConfigMap,
// Pod, Job, ClusterRole, ...) and of the object parts every manifest shares
// (type and object metadata, label selectors). The types carry the JSON tags
// of k8s.io/api and k8s.io/apimachinery but only the fields lowlat sets, so
// manifest packages stay free of the heavy upstream modules. A new core kind
// goes here; operator kinds (PerformanceProfile, SR-IOV, KubeVirt, ArgoCD,
// OLM) stay with the package that renders them.
package kube

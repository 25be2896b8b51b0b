package kube

// TypeMeta is apiVersion and kind.
type TypeMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
}

// ObjectMeta is the subset of metav1.ObjectMeta lowlat sets.
type ObjectMeta struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// TemplateMeta is the metadata of an object template embedded in another
// (a Job's pod, a VirtualMachine's instance): no name.
type TemplateMeta struct {
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// LabelSelector is metav1.LabelSelector.
type LabelSelector struct {
	MatchLabels      map[string]string          `json:"matchLabels,omitempty"`
	MatchExpressions []LabelSelectorRequirement `json:"matchExpressions,omitempty"`
}

// LabelSelectorRequirement is metav1.LabelSelectorRequirement.
type LabelSelectorRequirement struct {
	Key      string   `json:"key"`
	Operator string   `json:"operator"`
	Values   []string `json:"values,omitempty"`
}

// ManagedBy labels every object lowlat renders, so a cluster admin can find them.
const ManagedBy = "app.kubernetes.io/managed-by"

// Labels returns the labels every lowlat object carries, plus extra.
func Labels(extra map[string]string) map[string]string {
	out := map[string]string{ManagedBy: "lowlat"}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

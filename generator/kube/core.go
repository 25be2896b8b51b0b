package kube

// CoreAPIVersion is the apiVersion of the core group's kinds.
const CoreAPIVersion = "v1"

// Namespace is core v1 Namespace.
type Namespace struct {
	TypeMeta `json:",inline"`
	Metadata ObjectMeta `json:"metadata"`
}

// ServiceAccount is core v1 ServiceAccount.
type ServiceAccount struct {
	TypeMeta `json:",inline"`
	Metadata ObjectMeta `json:"metadata"`
}

// NewServiceAccount is a ServiceAccount with lowlat's labels.
func NewServiceAccount(name, namespace string) ServiceAccount {
	return ServiceAccount{TypeMeta: TypeMeta{APIVersion: CoreAPIVersion, Kind: "ServiceAccount"},
		Metadata: ObjectMeta{Name: name, Namespace: namespace, Labels: Labels(nil)}}
}

// ConfigMap is core v1 ConfigMap.
type ConfigMap struct {
	TypeMeta `json:",inline"`
	Metadata ObjectMeta        `json:"metadata"`
	Data     map[string]string `json:"data"`
}

// PersistentVolumeClaim is core v1 PersistentVolumeClaim.
type PersistentVolumeClaim struct {
	TypeMeta `json:",inline"`
	Metadata ObjectMeta                `json:"metadata"`
	Spec     PersistentVolumeClaimSpec `json:"spec"`
}

// PersistentVolumeClaimSpec asks the default StorageClass for a volume.
type PersistentVolumeClaimSpec struct {
	AccessModes []string             `json:"accessModes"`
	Resources   ResourceRequirements `json:"resources"`
}

// ResourceRequirements are requests and limits by resource name, as in
// core v1 ResourceRequirements (and VolumeResourceRequirements, and
// KubeVirt's domain resources, which have the same two fields).
type ResourceRequirements struct {
	Requests map[string]string `json:"requests,omitempty"`
	Limits   map[string]string `json:"limits,omitempty"`
}

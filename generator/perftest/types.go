package perftest

import (
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/virt"
)

// ConfigMap is core v1 ConfigMap.
type ConfigMap struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta   `json:"metadata"`
	Data          map[string]string `json:"data"`
}

// PersistentVolumeClaim is core v1 PersistentVolumeClaim.
type PersistentVolumeClaim struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta `json:"metadata"`
	Spec          PVCSpec         `json:"spec"`
}

// PVCSpec asks the default StorageClass for a volume.
type PVCSpec struct {
	AccessModes []string       `json:"accessModes"`
	Resources   virt.Resources `json:"resources"`
}

// ClusterRole is rbac.authorization.k8s.io/v1 ClusterRole; Role has the
// same shape.
type ClusterRole struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta `json:"metadata"`
	Rules         []PolicyRule    `json:"rules"`
}

// PolicyRule grants verbs on resources.
type PolicyRule struct {
	APIGroups     []string `json:"apiGroups"`
	Resources     []string `json:"resources"`
	ResourceNames []string `json:"resourceNames,omitempty"`
	Verbs         []string `json:"verbs"`
}

// Job is batch/v1 Job.
type Job struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta `json:"metadata"`
	Spec          JobSpec         `json:"spec"`
}

// JobSpec runs one pod, once.
type JobSpec struct {
	BackoffLimit int         `json:"backoffLimit"`
	Template     PodTemplate `json:"template"`
}

// PodTemplate is core v1 PodTemplateSpec.
type PodTemplate struct {
	Metadata virt.TemplateMeta `json:"metadata"`
	Spec     virt.PodSpec      `json:"spec"`
}

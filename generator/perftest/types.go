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

// ValidatingAdmissionPolicy is admissionregistration.k8s.io/v1
// ValidatingAdmissionPolicy, reduced to what lowlat sets.
type ValidatingAdmissionPolicy struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta `json:"metadata"`
	Spec          PolicySpec      `json:"spec"`
}

// PolicySpec selects requests and says what they must satisfy.
type PolicySpec struct {
	FailurePolicy    string             `json:"failurePolicy"`
	MatchConstraints MatchResources     `json:"matchConstraints"`
	MatchConditions  []MatchCondition   `json:"matchConditions,omitempty"`
	Validations      []PolicyValidation `json:"validations"`
}

// MatchResources lists the operations on resources a policy sees.
type MatchResources struct {
	ResourceRules []ResourceRule `json:"resourceRules"`
}

// ResourceRule is operations on resources of API groups and versions.
type ResourceRule struct {
	APIGroups   []string `json:"apiGroups"`
	APIVersions []string `json:"apiVersions"`
	Operations  []string `json:"operations"`
	Resources   []string `json:"resources"`
}

// MatchCondition narrows the requests a policy judges, in CEL.
type MatchCondition struct {
	Name       string `json:"name"`
	Expression string `json:"expression"`
}

// PolicyValidation is a CEL expression every judged request must satisfy.
type PolicyValidation struct {
	Expression string `json:"expression"`
	Message    string `json:"message"`
	Reason     string `json:"reason"`
}

// ValidatingAdmissionPolicyBinding puts a policy into force.
type ValidatingAdmissionPolicyBinding struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta `json:"metadata"`
	Spec          BindingSpec     `json:"spec"`
}

// BindingSpec names the policy and what a failed validation does.
type BindingSpec struct {
	PolicyName        string   `json:"policyName"`
	ValidationActions []string `json:"validationActions"`
}

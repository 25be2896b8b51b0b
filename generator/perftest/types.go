package perftest

import "github.com/lowlat/lowlat/generator/kube"

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

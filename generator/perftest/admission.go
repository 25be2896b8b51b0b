package perftest

import (
	"fmt"

	"github.com/lowlat/lowlat/generator/kube"
)

// kubeBurnerJobLabel is the label kube-burner v2.7.3 puts on every
// namespace it creates, its job namespaces and its image pre-load
// namespace alike (pkg/config/types.go KubeBurnerLabelJob; pkg/burner
// create.go and pre_load.go set it when they create a namespace).
const kubeBurnerJobLabel = "kube-burner.io/job"

// namespaceGuardName names the policy and its binding.
const namespaceGuardName = "lowlat-kube-burner-namespaces"

// namespaceGuard confines kube-burner's namespace deletions to the
// namespaces it created. RBAC cannot: it grants delete on namespaces by
// name or not at all, and kube-burner's names carry a random suffix. The
// API server enforces the policy (ValidatingAdmissionPolicy, GA in
// Kubernetes 1.30, OpenShift 4.17) for every delete the kube-burner
// service account sends; the account may not change labels (it has no
// update or patch on namespaces), so it cannot mark another namespace as
// its own.
func namespaceGuard(ns string) []any {
	user := fmt.Sprintf("system:serviceaccount:%s:%s", ns, ServiceAccountName)
	return []any{
		ValidatingAdmissionPolicy{
			TypeMeta: kube.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: "ValidatingAdmissionPolicy"},
			Metadata: kube.ObjectMeta{Name: namespaceGuardName, Labels: kube.Labels(nil)},
			Spec: PolicySpec{
				FailurePolicy: "Fail",
				MatchConstraints: MatchResources{ResourceRules: []ResourceRule{{
					APIGroups: []string{""}, APIVersions: []string{"v1"}, Operations: []string{"DELETE"}, Resources: []string{"namespaces"},
				}}},
				MatchConditions: []MatchCondition{{Name: "kube-burner", Expression: fmt.Sprintf("request.userInfo.username == '%s'", user)}},
				Validations: []PolicyValidation{{
					Expression: fmt.Sprintf("has(oldObject.metadata.labels) && '%s' in oldObject.metadata.labels", kubeBurnerJobLabel),
					Message:    fmt.Sprintf("%s may only delete the namespaces kube-burner created (labelled %s)", user, kubeBurnerJobLabel),
					Reason:     "Forbidden",
				}},
			},
		},
		ValidatingAdmissionPolicyBinding{
			TypeMeta: kube.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: "ValidatingAdmissionPolicyBinding"},
			Metadata: kube.ObjectMeta{Name: namespaceGuardName, Labels: kube.Labels(nil)},
			Spec:     BindingSpec{PolicyName: namespaceGuardName, ValidationActions: []string{"Deny"}},
		},
	}
}

package schema

import (
	"fmt"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	"strings"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The rules below are the subset of Kubernetes' create validation
// (pkg/apis/core/validation, pkg/apis/rbac/validation) that a rendered
// manifest can break: required fields, name formats and value ranges.

// checkPodSpec checks containers, volumes and resources of a pod spec.
func checkPodSpec(spec *corev1.PodSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if len(spec.Containers) == 0 {
		errs = append(errs, field.Required(p.Child("containers"), "a pod runs at least one container"))
	}
	volumes := sets.New[string]()
	for i, v := range spec.Volumes {
		vp := p.Child("volumes").Index(i).Child("name")
		errs = append(errs, dnsLabel(vp, v.Name)...)
		if volumes.Has(v.Name) {
			errs = append(errs, field.Duplicate(vp, v.Name))
		}
		volumes.Insert(v.Name)
	}
	names := sets.New[string]()
	for _, group := range []struct {
		field string
		list  []corev1.Container
	}{{"initContainers", spec.InitContainers}, {"containers", spec.Containers}} {
		for i := range group.list {
			errs = append(errs, checkContainer(&group.list[i], p.Child(group.field).Index(i), names, volumes)...)
		}
	}
	if spec.ServiceAccountName != "" {
		for _, msg := range validation.IsDNS1123Subdomain(spec.ServiceAccountName) {
			errs = append(errs, field.Invalid(p.Child("serviceAccountName"), spec.ServiceAccountName, msg))
		}
	}
	return errs
}

func checkContainer(c *corev1.Container, p *field.Path, names, volumes sets.Set[string]) field.ErrorList {
	var errs field.ErrorList
	if c.Name == "" {
		errs = append(errs, field.Required(p.Child("name"), ""))
	} else {
		errs = append(errs, dnsLabel(p.Child("name"), c.Name)...)
		if names.Has(c.Name) {
			errs = append(errs, field.Duplicate(p.Child("name"), c.Name))
		}
		names.Insert(c.Name)
	}
	if c.Image == "" {
		errs = append(errs, field.Required(p.Child("image"), ""))
	}
	for i, m := range c.VolumeMounts {
		if !volumes.Has(m.Name) {
			errs = append(errs, field.NotFound(p.Child("volumeMounts").Index(i).Child("name"), m.Name))
		}
	}
	for i, e := range c.Env {
		for _, msg := range validation.IsEnvVarName(e.Name) {
			errs = append(errs, field.Invalid(p.Child("env").Index(i).Child("name"), e.Name, msg))
		}
	}
	return append(errs, checkResources(c.Resources, p.Child("resources"))...)
}

// checkResources enforces request <= limit, and for hugepages request ==
// limit, as ValidateResourceRequirements does.
func checkResources(r corev1.ResourceRequirements, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for name, req := range r.Requests {
		limit, ok := r.Limits[name]
		rp := p.Child("requests").Key(string(name))
		switch {
		case !ok:
		case req.Cmp(limit) > 0:
			errs = append(errs, field.Invalid(rp, req.String(), fmt.Sprintf("must be less than or equal to %s limit of %s", name, limit.String())))
		case strings.HasPrefix(string(name), corev1.ResourceHugePagesPrefix) && req.Cmp(limit) != 0:
			errs = append(errs, field.Invalid(rp, req.String(), "hugepages requests must equal limits"))
		}
	}
	return errs
}

func dnsLabel(p *field.Path, v string) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validation.IsDNS1123Label(v) {
		errs = append(errs, field.Invalid(p, v, msg))
	}
	return errs
}

// checkPVC applies the create-time rules of ValidatePersistentVolumeClaimSpec
// that a generator can break: at least one access mode and a storage request.
func checkPVC(pvc *corev1.PersistentVolumeClaim) field.ErrorList {
	var errs field.ErrorList
	p := field.NewPath("spec")
	if len(pvc.Spec.AccessModes) == 0 {
		errs = append(errs, field.Required(p.Child("accessModes"), "at least 1 access mode is required"))
	}
	if _, ok := pvc.Spec.Resources.Requests[corev1.ResourceStorage]; !ok {
		errs = append(errs, field.Required(p.Child("resources", "requests", "storage"), ""))
	}
	return errs
}

func checkConfigMap(cm *corev1.ConfigMap) field.ErrorList {
	return checkDataKeys(nil, cm.BinaryData, cm.Data, field.NewPath("data"))
}

// checkDataKeys checks the keys of a ConfigMap or Secret and their total
// size, which etcd bounds at 1 MiB per object.
func checkDataKeys(bin, binaryData map[string][]byte, text map[string]string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	size := 0
	for k, v := range text {
		errs = append(errs, configKey(p.Key(k), k)...)
		size += len(v)
	}
	for _, m := range []map[string][]byte{bin, binaryData} {
		for k, v := range m {
			if _, dup := text[k]; dup {
				errs = append(errs, field.Invalid(p.Key(k), k, "set in both data and binaryData"))
			}
			errs = append(errs, configKey(p.Key(k), k)...)
			size += len(v)
		}
	}
	if size > corev1.MaxSecretSize {
		errs = append(errs, field.TooLong(p, "", corev1.MaxSecretSize))
	}
	return errs
}

func configKey(p *field.Path, k string) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validation.IsConfigMapKey(k) {
		errs = append(errs, field.Invalid(p, k, msg))
	}
	return errs
}

func checkClusterRole(r *rbacv1.ClusterRole) field.ErrorList { return checkRules(r.Rules, false) }
func checkRole(r *rbacv1.Role) field.ErrorList               { return checkRules(r.Rules, true) }

// checkRules applies ValidatePolicyRule: verbs always; API groups and
// resources unless the rule is about non-resource URLs, which namespaced
// Roles cannot grant.
func checkRules(rules []rbacv1.PolicyRule, namespaced bool) field.ErrorList {
	var errs field.ErrorList
	for i, r := range rules {
		p := field.NewPath("rules").Index(i)
		if len(r.Verbs) == 0 {
			errs = append(errs, field.Required(p.Child("verbs"), "verbs must contain at least one value"))
		}
		if len(r.NonResourceURLs) > 0 {
			if namespaced {
				errs = append(errs, field.Invalid(p.Child("nonResourceURLs"), r.NonResourceURLs, "namespaced rules cannot apply to non-resource URLs"))
			}
			if len(r.APIGroups) > 0 || len(r.Resources) > 0 {
				errs = append(errs, field.Invalid(p.Child("nonResourceURLs"), r.NonResourceURLs, "rules cannot apply to both regular resources and non-resource URLs"))
			}
			continue
		}
		if len(r.APIGroups) == 0 {
			errs = append(errs, field.Required(p.Child("apiGroups"), "resource rules must supply at least one api group"))
		}
		if len(r.Resources) == 0 {
			errs = append(errs, field.Required(p.Child("resources"), "resource rules must supply at least one resource"))
		}
	}
	return errs
}

func checkClusterRoleBinding(b *rbacv1.ClusterRoleBinding) field.ErrorList {
	return checkBinding(b.RoleRef, b.Subjects, []string{"ClusterRole"}, true)
}

func checkRoleBinding(b *rbacv1.RoleBinding) field.ErrorList {
	return checkBinding(b.RoleRef, b.Subjects, []string{"ClusterRole", "Role"}, false)
}

func checkBinding(ref rbacv1.RoleRef, subjects []rbacv1.Subject, kinds []string, cluster bool) field.ErrorList {
	var errs field.ErrorList
	rp := field.NewPath("roleRef")
	if ref.APIGroup != rbacv1.GroupName {
		errs = append(errs, field.NotSupported(rp.Child("apiGroup"), ref.APIGroup, []string{rbacv1.GroupName}))
	}
	if !sets.New(kinds...).Has(ref.Kind) {
		errs = append(errs, field.NotSupported(rp.Child("kind"), ref.Kind, kinds))
	}
	if ref.Name == "" {
		errs = append(errs, field.Required(rp.Child("name"), ""))
	}
	for i, s := range subjects {
		errs = append(errs, checkSubject(s, field.NewPath("subjects").Index(i), cluster)...)
	}
	return errs
}

func checkSubject(s rbacv1.Subject, p *field.Path, cluster bool) field.ErrorList {
	var errs field.ErrorList
	if s.Name == "" {
		errs = append(errs, field.Required(p.Child("name"), ""))
	}
	switch s.Kind {
	case rbacv1.ServiceAccountKind:
		if s.APIGroup != "" {
			errs = append(errs, field.NotSupported(p.Child("apiGroup"), s.APIGroup, []string{""}))
		}
		if cluster && s.Namespace == "" {
			errs = append(errs, field.Required(p.Child("namespace"), "a ServiceAccount subject of a ClusterRoleBinding names its namespace"))
		}
	case rbacv1.UserKind, rbacv1.GroupKind:
		if s.APIGroup != rbacv1.GroupName {
			errs = append(errs, field.NotSupported(p.Child("apiGroup"), s.APIGroup, []string{rbacv1.GroupName}))
		}
	default:
		errs = append(errs, field.NotSupported(p.Child("kind"), s.Kind, []string{rbacv1.ServiceAccountKind, rbacv1.UserKind, rbacv1.GroupKind}))
	}
	return errs
}

// checkAdmissionPolicy applies the required-field rules of Kubernetes
// v1.34 pkg/apis/admissionregistration/validation for a policy: match
// constraints with resource rules, and at least one validation, each with
// an expression. The server compiles the CEL itself (make e2e).
func checkAdmissionPolicy(p *admissionregistrationv1.ValidatingAdmissionPolicy) field.ErrorList {
	var errs field.ErrorList
	spec := field.NewPath("spec")
	if p.Spec.MatchConstraints == nil || len(p.Spec.MatchConstraints.ResourceRules) == 0 {
		errs = append(errs, field.Required(spec.Child("matchConstraints", "resourceRules"), ""))
	}
	if len(p.Spec.Validations) == 0 && len(p.Spec.AuditAnnotations) == 0 {
		errs = append(errs, field.Required(spec.Child("validations"), "validations or auditAnnotations must contain at least one item"))
	}
	for i, v := range p.Spec.Validations {
		if v.Expression == "" {
			errs = append(errs, field.Required(spec.Child("validations").Index(i).Child("expression"), ""))
		}
	}
	return errs
}

// checkAdmissionPolicyBinding: a binding names its policy and what a
// failed validation does.
func checkAdmissionPolicyBinding(b *admissionregistrationv1.ValidatingAdmissionPolicyBinding) field.ErrorList {
	var errs field.ErrorList
	spec := field.NewPath("spec")
	if b.Spec.PolicyName == "" {
		errs = append(errs, field.Required(spec.Child("policyName"), ""))
	}
	if len(b.Spec.ValidationActions) == 0 {
		errs = append(errs, field.Required(spec.Child("validationActions"), ""))
	}
	return errs
}

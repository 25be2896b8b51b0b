package schema

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/api/validation/path"
	k8sschema "k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	kustomize "sigs.k8s.io/kustomize/api/types"
)

// goKind is a kind checked against its upstream Go type rather than a CRD:
// built-in kinds, whose OpenAPI schema lives in k8s.io/kubernetes (not a
// module lowlat can require), and kustomize's Kustomization.
type goKind struct {
	meta  metaRules
	check func(obj map[string]any) field.ErrorList
}

var (
	namespaced = metaRules{namespaced: true}
	// RBAC objects only need names that are valid path segments.
	rbacNamespaced = metaRules{namespaced: true, nameFn: path.ValidatePathSegmentName}
	rbacCluster    = metaRules{nameFn: path.ValidatePathSegmentName}
)

// goKinds holds every Go-type kind by apiVersion and kind; the name rules are
// the ones pkg/apis/*/validation of Kubernetes v1.34 applies.
var goKinds = map[k8sschema.GroupVersionKind]goKind{
	{Version: "v1", Kind: "ConfigMap"}:                                                               {namespaced, typed(checkConfigMap)},
	{Version: "v1", Kind: "Namespace"}:                                                               {metaRules{nameFn: apivalidation.ValidateNamespaceName}, typed[corev1.Namespace](nil)},
	{Version: "v1", Kind: "PersistentVolumeClaim"}:                                                   {namespaced, typed(checkPVC)},
	{Version: "v1", Kind: "Pod"}:                                                                     {namespaced, typed(checkPod)},
	{Version: "v1", Kind: "Secret"}:                                                                  {namespaced, typed(checkSecret)},
	{Version: "v1", Kind: "Service"}:                                                                 {metaRules{namespaced: true, nameFn: apivalidation.NameIsDNS1035Label}, typed(checkService)},
	{Version: "v1", Kind: "ServiceAccount"}:                                                          {namespaced, typed[corev1.ServiceAccount](nil)},
	{Group: "batch", Version: "v1", Kind: "Job"}:                                                     {namespaced, typed(checkJob)},
	{Group: "batch", Version: "v1", Kind: "CronJob"}:                                                 {metaRules{namespaced: true, nameFn: cronJobName}, typed(checkCronJob)},
	{Group: rbacv1.GroupName, Version: "v1", Kind: "ClusterRole"}:                                    {rbacCluster, typed(checkClusterRole)},
	{Group: rbacv1.GroupName, Version: "v1", Kind: "ClusterRoleBinding"}:                             {rbacCluster, typed(checkClusterRoleBinding)},
	{Group: rbacv1.GroupName, Version: "v1", Kind: "Role"}:                                           {rbacNamespaced, typed(checkRole)},
	{Group: rbacv1.GroupName, Version: "v1", Kind: "RoleBinding"}:                                    {rbacNamespaced, typed(checkRoleBinding)},
	{Group: "kustomize.config.k8s.io", Version: "v1beta1", Kind: "Kustomization"}:                    {metaRules{optional: true}, typed(checkKustomization)},
	{Group: "admissionregistration.k8s.io", Version: "v1", Kind: "ValidatingAdmissionPolicy"}:        {rbacCluster, typed(checkAdmissionPolicy)},
	{Group: "admissionregistration.k8s.io", Version: "v1", Kind: "ValidatingAdmissionPolicyBinding"}: {rbacCluster, typed(checkAdmissionPolicyBinding)},
}

// typed strictly decodes an object into T and then applies the kind's rules
// for required fields and values.
func typed[T any](rules func(*T) field.ErrorList) func(map[string]any) field.ErrorList {
	return func(obj map[string]any) field.ErrorList {
		data, err := json.Marshal(obj)
		if err != nil {
			return field.ErrorList{field.InternalError(nil, err)}
		}
		t := new(T)
		errs, ok := strictDecode(data, t, nil)
		if !ok || rules == nil {
			return errs
		}
		return append(errs, rules(t)...)
	}
}

func checkKustomization(k *kustomize.Kustomization) field.ErrorList {
	var errs field.ErrorList
	for i, r := range k.Resources {
		if r == "" {
			errs = append(errs, field.Required(field.NewPath("resources").Index(i), "a resource file or directory"))
		}
	}
	return errs
}

func checkSecret(s *corev1.Secret) field.ErrorList {
	return checkDataKeys(s.Data, nil, s.StringData, field.NewPath("data"))
}

func checkService(s *corev1.Service) field.ErrorList {
	var errs field.ErrorList
	for i, p := range s.Spec.Ports {
		if p.Port < 1 || p.Port > 65535 {
			errs = append(errs, field.Invalid(field.NewPath("spec", "ports").Index(i).Child("port"), p.Port, "must be between 1 and 65535"))
		}
	}
	return errs
}

func checkJob(j *batchv1.Job) field.ErrorList {
	p := field.NewPath("spec")
	tmpl := p.Child("template", "spec")
	errs := checkPodSpec(&j.Spec.Template.Spec, tmpl)
	// The API server defaults an empty restartPolicy to Always and then
	// rejects it for Jobs.
	switch j.Spec.Template.Spec.RestartPolicy {
	case corev1.RestartPolicyNever, corev1.RestartPolicyOnFailure:
	case "":
		errs = append(errs, field.Required(tmpl.Child("restartPolicy"), "a Job's pods need OnFailure or Never (the default, Always, is rejected)"))
	default:
		errs = append(errs, field.NotSupported(tmpl.Child("restartPolicy"), j.Spec.Template.Spec.RestartPolicy, []string{"OnFailure", "Never"}))
	}
	counts := []struct {
		name string
		v    *int32
	}{{"parallelism", j.Spec.Parallelism}, {"completions", j.Spec.Completions}, {"backoffLimit", j.Spec.BackoffLimit}, {"ttlSecondsAfterFinished", j.Spec.TTLSecondsAfterFinished}}
	for _, c := range counts {
		if c.v != nil && *c.v < 0 {
			errs = append(errs, field.Invalid(p.Child(c.name), *c.v, "must be greater than or equal to 0"))
		}
	}
	if d := j.Spec.ActiveDeadlineSeconds; d != nil && *d <= 0 {
		errs = append(errs, field.Invalid(p.Child("activeDeadlineSeconds"), *d, "must be greater than 0"))
	}
	if j.Spec.Selector != nil && (j.Spec.ManualSelector == nil || !*j.Spec.ManualSelector) {
		errs = append(errs, field.Invalid(p.Child("selector"), "", "the Job controller sets the selector; set manualSelector to choose it yourself"))
	}
	return errs
}

// cronJobMaxName is the longest CronJob name: its Jobs are named
// <name>-<11 digits> and must stay DNS-1035 labels (Kubernetes v1.34
// pkg/apis/batch/validation ValidateCronJobCreate).
const cronJobMaxName = 63 - 11

func cronJobName(name string, prefix bool) []string {
	errs := apivalidation.NameIsDNSSubdomain(name, prefix)
	if len(name) > cronJobMaxName {
		errs = append(errs, fmt.Sprintf("must be no more than %d characters", cronJobMaxName))
	}
	return errs
}

// checkCronJob applies what Kubernetes v1.34 checks on a CronJob's spec
// (pkg/apis/batch/validation validateCronJobSpec): a standard five-field
// schedule (robfig/cron ParseStandard, without TZ= inside it), a known
// concurrency policy, non-negative limits, and its Job template as a Job.
func checkCronJob(c *batchv1.CronJob) field.ErrorList {
	p := field.NewPath("spec")
	var errs field.ErrorList
	if _, err := cron.ParseStandard(c.Spec.Schedule); err != nil {
		errs = append(errs, field.Invalid(p.Child("schedule"), c.Spec.Schedule, err.Error()))
	}
	if strings.Contains(c.Spec.Schedule, "TZ") {
		errs = append(errs, field.Invalid(p.Child("schedule"), c.Spec.Schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
	}
	switch c.Spec.ConcurrencyPolicy {
	case "", batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent:
	default:
		errs = append(errs, field.NotSupported(p.Child("concurrencyPolicy"), c.Spec.ConcurrencyPolicy, []string{"Allow", "Forbid", "Replace"}))
	}
	for name, v := range map[string]*int32{"successfulJobsHistoryLimit": c.Spec.SuccessfulJobsHistoryLimit, "failedJobsHistoryLimit": c.Spec.FailedJobsHistoryLimit} {
		if v != nil && *v < 0 {
			errs = append(errs, field.Invalid(p.Child(name), *v, "must be greater than or equal to 0"))
		}
	}
	if d := c.Spec.StartingDeadlineSeconds; d != nil && *d < 0 {
		errs = append(errs, field.Invalid(p.Child("startingDeadlineSeconds"), *d, "must be greater than or equal to 0"))
	}
	job := &batchv1.Job{Spec: c.Spec.JobTemplate.Spec}
	for _, e := range checkJob(job) {
		e.Field = "spec.jobTemplate." + e.Field
		errs = append(errs, e)
	}
	return errs
}

func checkPod(pod *corev1.Pod) field.ErrorList {
	p := field.NewPath("spec")
	errs := checkPodSpec(&pod.Spec, p)
	switch pod.Spec.RestartPolicy {
	case "", corev1.RestartPolicyAlways, corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever:
	default:
		errs = append(errs, field.NotSupported(p.Child("restartPolicy"), pod.Spec.RestartPolicy, []string{"Always", "OnFailure", "Never"}))
	}
	return errs
}

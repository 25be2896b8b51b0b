package perfrun

import (
	"sort"

	"github.com/lowlat/lowlat/generator/kube"
)

// Scripts is the ConfigMap of the scripts a namespace's runs and its
// retention pass use.
func Scripts(ns string) kube.ConfigMap {
	return kube.ConfigMap{
		TypeMeta: kube.TypeMeta{APIVersion: kube.CoreAPIVersion, Kind: "ConfigMap"},
		Metadata: kube.ObjectMeta{Name: ScriptsName, Namespace: ns, Labels: kube.Labels(nil)},
		Data:     map[string]string{"start.sh": startScript, "publish.sh": publishScript, "retention.sh": retentionScript},
	}
}

// Rights lets account, which runs the tests of namespace ns, do what
// start.sh and publish.sh do there: annotate its Jobs and write results
// ConfigMaps (server-side apply is a patch, which creates). Reading the
// revision is RevisionRights, in ArgoCD's namespace.
func Rights(ns, account string) []any {
	subject := kube.AccountSubject(account, ns)
	results, resultsBinding := kube.RoleGrant(kube.ObjectMeta{Name: account + "-results", Namespace: ns, Labels: kube.Labels(nil)}, []kube.PolicyRule{
		{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: []string{"get", "create", "patch"}},
		{APIGroups: []string{"batch"}, Resources: []string{"jobs"}, Verbs: []string{"get", "patch"}},
	}, subject)
	return []any{results, resultsBinding}
}

// RevisionRights lets account of namespace ns read the Applications whose
// synced revision its runs' results carry, in ArgoCD's namespace, where
// the Applications are; meta names the Role and its binding and sets
// their labels and annotations.
func RevisionRights(meta kube.ObjectMeta, account, ns string, applications []string) []any {
	role, binding := kube.RoleGrant(meta, []kube.PolicyRule{
		{APIGroups: []string{"argoproj.io"}, Resources: []string{"applications"}, ResourceNames: sorted(applications), Verbs: []string{"get"}},
	}, kube.AccountSubject(account, ns))
	return []any{role, binding}
}

// Retention renders the retention pass of namespace ns: its account, which
// may list, annotate and delete the runs and their ConfigMaps there, and
// the CronJob that runs retention.sh every RetentionInterval with the
// counts to keep and the runs git holds now.
func Retention(ns string, keepRuns, keepResults int, current []string) []any {
	yes, no := true, false
	subject := kube.AccountSubject(retentionName, ns)
	role, binding := kube.RoleGrant(kube.ObjectMeta{Name: retentionName, Namespace: ns, Labels: kube.Labels(nil)}, []kube.PolicyRule{
		{APIGroups: []string{"batch"}, Resources: []string{"jobs"}, Verbs: []string{"get", "list", "patch", "delete"}},
		{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: []string{"list", "delete"}},
	}, subject)
	deadline := int64(retentionPass)
	kept, failedKept := int32(1), int32(3)
	labels := map[string]string{"app.kubernetes.io/name": retentionName}
	args := append([]string{"/bin/bash", scriptsDir + "/retention.sh", itoa(keepRuns), itoa(keepResults)}, sorted(current)...)
	cron := kube.CronJob{
		TypeMeta: kube.TypeMeta{APIVersion: kube.BatchAPIVersion, Kind: "CronJob"},
		Metadata: kube.ObjectMeta{Name: retentionName, Namespace: ns, Labels: kube.Labels(labels)},
		Spec: kube.CronJobSpec{
			Schedule: schedule(RetentionInterval), ConcurrencyPolicy: "Forbid", StartingDeadlineSeconds: &deadline,
			SuccessfulJobsHistoryLimit: &kept, FailedJobsHistoryLimit: &failedKept,
			JobTemplate: kube.JobTemplateSpec{
				Metadata: kube.TemplateMeta{Labels: labels},
				Spec: kube.JobSpec{
					BackoffLimit: 0, ActiveDeadlineSeconds: &deadline,
					Template: kube.PodTemplateSpec{
						Metadata: kube.TemplateMeta{Labels: labels},
						Spec: kube.PodSpec{
							RestartPolicy:      "Never",
							ServiceAccountName: retentionName,
							SecurityContext:    &kube.PodSecurityContext{RunAsNonRoot: &yes, SeccompProfile: &kube.SeccompProfile{Type: "RuntimeDefault"}},
							Containers: []kube.Container{{
								Name: "pass", Image: cliImage(), Command: args,
								Resources: kube.ResourceRequirements{
									Requests: map[string]string{"cpu": "10m", "memory": "64Mi"},
									Limits:   map[string]string{"memory": "256Mi"},
								},
								SecurityContext: &kube.SecurityContext{AllowPrivilegeEscalation: &no, Capabilities: &kube.Capabilities{Drop: []string{"ALL"}}},
								VolumeMounts:    []kube.VolumeMount{{Name: "scripts", MountPath: scriptsDir}},
							}},
							Volumes: []kube.Volume{{Name: "scripts", ConfigMap: &kube.ConfigMapVolumeSource{Name: ScriptsName}}},
						},
					},
				},
			},
		},
	}
	return []any{kube.NewServiceAccount(retentionName, ns), role, binding, cron}
}

func sorted(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

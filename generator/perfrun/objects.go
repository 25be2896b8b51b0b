package perfrun

import (
	"sort"

	"github.com/lowlat/lowlat/generator/gates"
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
	subject := kube.AccountSubject(retentionName, ns)
	role, binding := kube.RoleGrant(kube.ObjectMeta{Name: retentionName, Namespace: ns, Labels: kube.Labels(nil)}, []kube.PolicyRule{
		{APIGroups: []string{"batch"}, Resources: []string{"jobs"}, Verbs: []string{"get", "list", "patch", "delete"}},
		{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: []string{"list", "delete"}},
	}, subject)
	cron := gates.PassCronJob(gates.Pass{
		Name: retentionName, Namespace: ns, ServiceAccount: retentionName, Schedule: schedule(RetentionInterval),
		Deadline: retentionPass, Kept: 1, FailedKept: 3,
		Command:       append([]string{"/bin/bash", scriptsDir + "/retention.sh", itoa(keepRuns), itoa(keepResults)}, sorted(current)...),
		ScriptsVolume: "scripts", ScriptsConfigMap: ScriptsName, ScriptsDir: scriptsDir,
	})
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

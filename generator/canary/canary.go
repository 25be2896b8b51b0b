package canary

import (
	_ "embed"
	"fmt"
	"time"

	"github.com/lowlat/lowlat/generator/gates"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/perftest"
)

// Script is one pass of the controller.
//
//go:embed canary.sh
var Script string

// Names of the controller's objects, in the gates' namespace.
const (
	Name      = "lowlat-canary"
	ScriptKey = "canary.sh"
	scriptDir = "/scripts"
	// passDeadline stops a pass that hangs before the next is due.
	passDeadline = 240
	// history keeps the last passes' pods for `oc logs`.
	passesKept, failedPassesKept = 1, 3
)

// Interval is how often a pass runs. A pass takes seconds; a metal node's
// reboot takes many minutes, so a re-test starts, and a release follows
// it, at most this long after the canary is ready.
const Interval = 5 * time.Minute

// Schedule is Interval as the CronJob's schedule.
var Schedule = fmt.Sprintf("*/%d * * * *", int(Interval/time.Minute))

// Pools lists the node roles of the cluster's pools with a canary.
func Pools(c *inventory.Cluster) []string {
	var out []string
	for _, np := range c.CanaryPools() {
		out = append(out, np.NodeRole)
	}
	return out
}

// Objects renders the controller of the cluster's canaries: nil when no
// pool has one.
func Objects(c *inventory.Cluster) []any {
	pools := Pools(c)
	if len(pools) == 0 {
		return nil
	}
	ns, perf := gates.Namespace, c.PerfTests.Namespace
	return append(access(c, pools, ns, perf),
		kube.ConfigMap{
			TypeMeta: kube.TypeMeta{APIVersion: kube.CoreAPIVersion, Kind: "ConfigMap"},
			Metadata: kube.ObjectMeta{Name: Name, Namespace: ns, Labels: kube.Labels(nil)},
			Data:     map[string]string{ScriptKey: Script},
		},
		cronJob(pools, ns, perf))
}

// cronJob runs one pass of the script every Schedule, never two at once.
func cronJob(pools []string, ns, perf string) kube.CronJob {
	return gates.PassCronJob(gates.Pass{
		Name: Name, Namespace: ns, ServiceAccount: Name, Schedule: Schedule,
		Deadline: passDeadline, Kept: passesKept, FailedKept: failedPassesKept,
		Command:       append([]string{"/bin/bash", scriptDir + "/" + ScriptKey}, pools...),
		Env:           []kube.EnvVar{{Name: "PERF_NAMESPACE", Value: perf}},
		ScriptsVolume: "script", ScriptsConfigMap: Name, ScriptsDir: scriptDir,
	})
}

// access is the controller's account: it reads pools and nodes, patches
// only the held pools (RBAC names them), and in the perf tests' namespace
// reads the re-test Jobs, reads the re-tests' CronJobs and creates Jobs
// (`oc create job --from` reads the CronJob, then creates the Job with a
// controller reference to it and no blockOwnerDeletion: kubectl v0.34
// pkg/cmd/create/create_job.go).
func access(c *inventory.Cluster, pools []string, ns, perf string) []any {
	read := []string{"get", "list", "watch"}
	var cronJobs []string
	for _, np := range c.CanaryPools() {
		cronJobs = append(cronJobs, perftest.CanaryCronJobName(np))
	}
	account := kube.AccountSubject(Name, ns)
	pool, poolBinding := kube.ClusterRoleGrant(kube.ObjectMeta{Name: Name, Labels: kube.Labels(nil)}, []kube.PolicyRule{
		{APIGroups: []string{"machineconfiguration.openshift.io"}, Resources: []string{"machineconfigpools"}, Verbs: read},
		{APIGroups: []string{"machineconfiguration.openshift.io"}, Resources: []string{"machineconfigpools"}, ResourceNames: pools, Verbs: []string{"patch"}},
		{APIGroups: []string{""}, Resources: []string{"nodes"}, Verbs: read},
	}, account)
	jobs, jobsBinding := kube.RoleGrant(kube.ObjectMeta{Name: Name, Namespace: perf, Labels: kube.Labels(nil)}, []kube.PolicyRule{
		{APIGroups: []string{"batch"}, Resources: []string{"jobs"}, Verbs: []string{"get", "list", "watch", "create"}},
		{APIGroups: []string{"batch"}, Resources: []string{"cronjobs"}, ResourceNames: cronJobs, Verbs: []string{"get"}},
	}, account)
	return []any{kube.NewServiceAccount(Name, ns), pool, poolBinding, jobs, jobsBinding}
}

package perftest

import "github.com/lowlat/lowlat/generator/kube"

// clusterRules is what kube-burner v2.7.3 does with the jobs lowlat
// configures, and what the waits before it read, and nothing else:
//   - namespaces: creates each job's namespace and the image pre-load
//     namespace, lists them by label to clean up and garbage collect, and
//     deletes them;
//   - pods: creates the pod-density pods, lists them to wait and verify, and
//     watches pods (and, for vmiLatency, the VMs' launcher pods) for the
//     latency measurements; the pre-load step reads its own pods;
//   - events: podLatency lists and watches pod events for container start
//     times;
//   - daemonsets: the image pre-load step creates one per job and reads it;
//   - VirtualMachines and VirtualMachineInstances: created, waited for and
//     watched by the vmi-latency job and its measurement;
//   - nodes: read for the run's metadata, and by the run's waits for the
//     SR-IOV VFs each node advertises;
//   - MachineConfigPools: read by the run's waits for the pool's tuning.
var clusterRules = []kube.PolicyRule{
	{APIGroups: []string{""}, Resources: []string{"namespaces"}, Verbs: []string{"create", "delete", "get", "list"}},
	{APIGroups: []string{""}, Resources: []string{"pods"}, Verbs: []string{"create", "delete", "get", "list", "watch"}},
	{APIGroups: []string{""}, Resources: []string{"events"}, Verbs: []string{"get", "list", "watch"}},
	{APIGroups: []string{""}, Resources: []string{"nodes"}, Verbs: []string{"get", "list", "watch"}},
	{APIGroups: []string{"apps"}, Resources: []string{"daemonsets"}, Verbs: []string{"create", "get"}},
	{APIGroups: []string{"machineconfiguration.openshift.io"}, Resources: []string{"machineconfigpools"}, Verbs: []string{"get", "list", "watch"}},
	{APIGroups: []string{"kubevirt.io"}, Resources: []string{"virtualmachines"}, Verbs: []string{"create", "delete", "get", "list", "watch"}},
	{APIGroups: []string{"kubevirt.io"}, Resources: []string{"virtualmachineinstances"}, Verbs: []string{"get", "list", "watch"}},
}

// access renders the ServiceAccount and the ClusterRole with clusterRules
// and its binding. What the account may do in its own namespace (read the
// run configs, write results) is perfrun.Rights.
func access(ns string) []any {
	account := kube.AccountSubject(ServiceAccountName, ns)
	cluster, clusterBinding := kube.ClusterRoleGrant(kube.ObjectMeta{Name: ServiceAccountName, Labels: kube.Labels(nil)}, clusterRules, account)
	return []any{kube.NewServiceAccount(ServiceAccountName, ns), cluster, clusterBinding}
}

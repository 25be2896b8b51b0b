package gates

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/operators"
)

// Where the waits run.
const (
	Namespace      = "lowlat-system"
	ServiceAccount = "lowlat-gate"
	// Image is OpenShift's cli image stream in the openshift namespace.
	Image = "image-registry.openshift-image-registry.svc:5000/openshift/cli:latest"
	// JobPrefix starts the name of every wait Job.
	JobPrefix = "lowlat-wait-"
)

// ArgoCD hook annotations (argo-cd v3.3.19 docs, resource hooks): a Sync
// hook runs in its wave of every sync; BeforeHookCreation deletes the
// previous run just before the next one is created, so the last run stays
// for inspection.
const (
	HookAnnotation           = "argocd.argoproj.io/hook"
	HookDeletePolicy         = "argocd.argoproj.io/hook-delete-policy"
	HookSync                 = "Sync"
	HookBeforeHookCreation   = "BeforeHookCreation"
	operatorWaitTimeout      = 20 * time.Minute
	operatorWaitRetries      = 3
	networkWaitTimeout       = 30 * time.Minute
	rolloutPerNode           = 40 * time.Minute // drain, reboot and settle of one metal node, with margin
	rolloutRetries           = 1
	networkWaitRetries       = 2
	operatorComponentLabel   = "lowlat.dev/gate"
	sriovResourcePrefix      = "openshift.io/"
	machineConfigPoolsPlural = "machineconfigpools.machineconfiguration.openshift.io"
)

// Access is the namespace, service account and read-only rights the waits
// run with.
func Access() []any {
	read := []string{"get", "list", "watch"}
	role, binding := kube.ClusterRoleGrant(kube.ObjectMeta{Name: ServiceAccount, Labels: kube.Labels(nil)}, []kube.PolicyRule{
		{APIGroups: []string{""}, Resources: []string{"nodes"}, Verbs: read},
		{APIGroups: []string{"machineconfiguration.openshift.io"}, Resources: []string{"machineconfigpools"}, Verbs: read},
		{APIGroups: []string{"operators.coreos.com"}, Resources: []string{"clusterserviceversions"}, Verbs: read},
	}, kube.AccountSubject(ServiceAccount, Namespace))
	return []any{operators.NewNamespace(Namespace, nil, nil), kube.NewServiceAccount(ServiceAccount, Namespace), role, binding}
}

// OperatorsReady waits for each installed operator's CSV, found by the
// label OLM puts on an operator's objects
// (operators.coreos.com/<package>.<namespace>), to reach phase Succeeded.
func OperatorsReady(ops []operators.Operator) []any {
	var out []any
	for _, op := range ops {
		out = append(out, wait("csv-"+op.Package, operatorWaitRetries,
			"clusterserviceversions.operators.coreos.com", "-n", op.Namespace,
			"-l", "operators.coreos.com/"+op.Package+"."+op.Namespace,
			"--for=jsonpath={.status.phase}=Succeeded", timeout(operatorWaitTimeout)))
	}
	return out
}

// PoolTuned waits until every node of pool runs the tuning rendered last:
// the pool's status.configuration (what all its nodes run, written once
// the last one is updated) lists the pool's tuning marker, a machine
// config named after the hash of the profile (tuning.MarkerName). An
// update waits too: the marker of the new tuning is not in the list until
// the pool has rolled it out.
func PoolTuned(pool, marker string, nodes int) any {
	return wait("tuned-"+pool, rolloutRetries, PoolRunsArgs(pool, marker, nodes)...)
}

// PoolRunsArgs are the `oc wait` arguments that wait until every node of
// pool runs a rendered config that merges the machine config mc.
func PoolRunsArgs(pool, mc string, nodes int) []string {
	return []string{machineConfigPoolsPlural + "/" + pool,
		fmt.Sprintf(`--for=jsonpath={.status.configuration.source[?(@.name=="%s")].name}=%s`, mc, mc),
		timeout(RolloutTimeout(nodes))}
}

// RolloutTimeout bounds the rollout of a pool of nodes.
func RolloutTimeout(nodes int) time.Duration { return time.Duration(max(nodes, 1)) * rolloutPerNode }

// NetworkReady waits until every node the selector picks advertises count
// VFs of the SR-IOV resource.
func NetworkReady(pool, network, resource string, selector map[string]string, count int) any {
	return wait("sriov-"+pool+"-"+network, networkWaitRetries, NetworkReadyArgs(resource, selector, count)...)
}

// NetworkReadyArgs are the `oc wait` arguments that wait until every node
// the selector picks advertises count VFs of the SR-IOV resource.
func NetworkReadyArgs(resource string, selector map[string]string, count int) []string {
	return []string{"nodes", "-l", labelSelector(selector),
		fmt.Sprintf("--for=jsonpath={.status.allocatable.%s}=%d", escapeDots(sriovResourcePrefix+resource), count),
		timeout(networkWaitTimeout)}
}

// wait is one `oc wait` Job.
func wait(what string, retries int, args ...string) kube.Job {
	yes, no := true, false
	labels := map[string]string{operatorComponentLabel: what}
	return kube.Job{
		TypeMeta: kube.TypeMeta{APIVersion: kube.BatchAPIVersion, Kind: "Job"},
		Metadata: kube.ObjectMeta{Name: JobPrefix + what, Namespace: Namespace, Labels: kube.Labels(labels),
			Annotations: map[string]string{HookAnnotation: HookSync, HookDeletePolicy: HookBeforeHookCreation}},
		Spec: kube.JobSpec{
			BackoffLimit: retries,
			Template: kube.PodTemplateSpec{
				Metadata: kube.TemplateMeta{Labels: labels},
				Spec: kube.PodSpec{
					RestartPolicy:      "Never",
					ServiceAccountName: ServiceAccount,
					SecurityContext:    &kube.PodSecurityContext{RunAsNonRoot: &yes, SeccompProfile: &kube.SeccompProfile{Type: "RuntimeDefault"}},
					Containers: []kube.Container{{
						Name: "wait", Image: Image,
						Command: append([]string{"oc", "wait"}, args...),
						Resources: kube.ResourceRequirements{
							Requests: map[string]string{"cpu": "10m", "memory": "64Mi"},
							Limits:   map[string]string{"memory": "256Mi"},
						},
						SecurityContext: &kube.SecurityContext{AllowPrivilegeEscalation: &no, Capabilities: &kube.Capabilities{Drop: []string{"ALL"}}},
					}},
				},
			},
		},
	}
}

func timeout(d time.Duration) string { return "--timeout=" + d.String() }

// labelSelector writes a matchLabels map as a label selector, keys sorted.
func labelSelector(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, ",")
}

// escapeDots escapes the dots of a map key for kubectl's JSONPath.
func escapeDots(key string) string { return strings.ReplaceAll(key, ".", `\.`) }

// Pass is a script run one pass at a time by a CronJob, in the cli image:
// the canary controller's and the perf runs' retention.
type Pass struct {
	Name, Namespace, ServiceAccount string
	Schedule                        string
	// Deadline ends a pass that hangs (seconds), and is how late a missed
	// start may still run.
	Deadline int64
	// Kept and FailedKept are the finished passes whose pods stay for
	// `oc logs`.
	Kept, FailedKept int32
	Command          []string
	Env              []kube.EnvVar
	// ScriptsVolume is the volume of the ConfigMap ScriptsConfigMap,
	// mounted at ScriptsDir.
	ScriptsVolume, ScriptsConfigMap, ScriptsDir string
}

// PassCronJob runs p every schedule, never two passes at once, each as the
// restricted pod security profile allows.
func PassCronJob(p Pass) kube.CronJob {
	yes, no := true, false
	deadline, startBy := p.Deadline, p.Deadline
	kept, failedKept := p.Kept, p.FailedKept
	labels := map[string]string{"app.kubernetes.io/name": p.Name}
	return kube.CronJob{
		TypeMeta: kube.TypeMeta{APIVersion: kube.BatchAPIVersion, Kind: "CronJob"},
		Metadata: kube.ObjectMeta{Name: p.Name, Namespace: p.Namespace, Labels: kube.Labels(labels)},
		Spec: kube.CronJobSpec{
			Schedule: p.Schedule, ConcurrencyPolicy: "Forbid", StartingDeadlineSeconds: &startBy,
			SuccessfulJobsHistoryLimit: &kept, FailedJobsHistoryLimit: &failedKept,
			JobTemplate: kube.JobTemplateSpec{
				Metadata: kube.TemplateMeta{Labels: labels},
				Spec: kube.JobSpec{
					BackoffLimit: 0, ActiveDeadlineSeconds: &deadline,
					Template: kube.PodTemplateSpec{
						Metadata: kube.TemplateMeta{Labels: labels},
						Spec: kube.PodSpec{
							RestartPolicy:      "Never",
							ServiceAccountName: p.ServiceAccount,
							SecurityContext:    &kube.PodSecurityContext{RunAsNonRoot: &yes, SeccompProfile: &kube.SeccompProfile{Type: "RuntimeDefault"}},
							Containers: []kube.Container{{
								Name: "pass", Image: Image, Command: p.Command, Env: p.Env,
								Resources: kube.ResourceRequirements{
									Requests: map[string]string{"cpu": "10m", "memory": "64Mi"},
									Limits:   map[string]string{"memory": "256Mi"},
								},
								SecurityContext: &kube.SecurityContext{AllowPrivilegeEscalation: &no, Capabilities: &kube.Capabilities{Drop: []string{"ALL"}}},
								VolumeMounts:    []kube.VolumeMount{{Name: p.ScriptsVolume, MountPath: p.ScriptsDir}},
							}},
							Volumes: []kube.Volume{{Name: p.ScriptsVolume, ConfigMap: &kube.ConfigMapVolumeSource{Name: p.ScriptsConfigMap}}},
						},
					},
				},
			},
		},
	}
}

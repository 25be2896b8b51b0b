//go:build e2e

package twin

import (
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// scriptNamespace is where the script tests' Jobs run, as account
// "runner", which may read ConfigMaps and MachineConfigPools, read
// CronJobs and create Jobs, and nothing else.
const scriptNamespace = "lowlat-system"

// scriptSpeed runs the script tests at 60 modelled seconds per real
// second: a Job's pod starts within half a second.
const scriptSpeed = 60

func startScriptTwin(t *testing.T) *machineTwin {
	t.Helper()
	spec := Spec{Cluster: "lab1", OpenShift: "4.20", Durations: DefaultDurations()}
	m := startTestTwin(t, spec, scriptSpeed)
	kube := m.kube
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(kube.CoreV1().Namespaces().Create(m.ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: scriptNamespace}}, metav1.CreateOptions{}))
	must(kube.CoreV1().ServiceAccounts(scriptNamespace).Create(m.ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "runner"}}, metav1.CreateOptions{}))
	read := []string{"get", "list"}
	must(kube.RbacV1().ClusterRoles().Create(m.ctx, &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "runner"}, Rules: []rbacv1.PolicyRule{
		{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: read},
		{APIGroups: []string{"machineconfiguration.openshift.io"}, Resources: []string{"machineconfigpools"}, Verbs: read},
		{APIGroups: []string{"batch"}, Resources: []string{"cronjobs"}, Verbs: read},
		{APIGroups: []string{"batch"}, Resources: []string{"jobs"}, Verbs: []string{"get", "list", "create"}},
	}}, metav1.CreateOptions{}))
	must(kube.RbacV1().ClusterRoleBindings().Create(m.ctx, &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "runner"},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "runner"},
		Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: "runner", Namespace: scriptNamespace}},
	}, metav1.CreateOptions{}))
	return m
}

// scriptJob runs script from ConfigMap name at /scripts with bash, as the
// runner account, with args and the namespace in $NAMESPACE.
func (m *machineTwin) scriptJob(t *testing.T, name, script string, args ...string) {
	t.Helper()
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name}, Data: map[string]string{"pass.sh": script}}
	if _, err := m.kube.CoreV1().ConfigMaps(scriptNamespace).Create(m.ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	var backoff int32
	job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: batchv1.JobSpec{BackoffLimit: &backoff,
		Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever, ServiceAccountName: "runner",
			Containers: []corev1.Container{{
				Name: "pass", Image: "registry.redhat.io/openshift4/ose-cli:latest",
				Command: append([]string{"/bin/bash", "/scripts/pass.sh"}, args...),
				Env: []corev1.EnvVar{{Name: "NAMESPACE", ValueFrom: &corev1.EnvVarSource{
					FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.namespace"}}}},
				VolumeMounts: []corev1.VolumeMount{{Name: "script", MountPath: "/scripts"}},
			}},
			Volumes: []corev1.Volume{{Name: "script", VolumeSource: corev1.VolumeSource{
				ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: name}}}}},
		}}}}
	if _, err := m.kube.BatchV1().Jobs(scriptNamespace).Create(m.ctx, job, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// finished waits for a Job of the script namespace to finish and returns
// Complete or Failed, with the message of its last timeline event.
func (m *machineTwin) finished(t *testing.T, job string) (string, string) {
	t.Helper()
	var status, msg string
	m.waitFor(t, "Job "+job+" finished", func() bool {
		for _, e := range m.rec.Events() {
			if e.Kind == timeline.Run && e.Resource == "Job "+scriptNamespace+"/"+job && (e.Status == "Complete" || e.Status == "Failed") {
				status = e.Status
			}
			if e.Kind == timeline.Run && e.Resource == "Job "+scriptNamespace+"/"+job && e.Message != "" {
				msg = e.Message
			}
		}
		return status != ""
	})
	return status, msg
}

// TestAScriptRunsWithItsAccountsRights runs three bash scripts from
// ConfigMaps through the twin's Job controller, with the real bash, oc and
// the API server: one that reads what its account may read succeeds and
// its output reaches the timeline; one that patches a pool its account may
// not is refused by the API server and fails its Job; one that starts a
// Job from a CronJob with `oc create job --from` makes a Job the CronJob
// controls.
func TestAScriptRunsWithItsAccountsRights(t *testing.T) {
	m := startScriptTwin(t)
	m.run(t)

	m.scriptJob(t, "reads", `set -euo pipefail
oc get configmap reads -n "$NAMESPACE" -o jsonpath='{.metadata.name}{"\n"}'
kubectl get machineconfigpools -o name | sort
echo "args: $*"
`, "cnf", "cnf-2")
	status, msg := m.finished(t, "reads")
	if status != "Complete" {
		t.Fatalf("the reading script's Job is %s: %s", status, msg)
	}
	for _, want := range []string{"reads", "machineconfigpool.machineconfiguration.openshift.io/master", "args: cnf cnf-2"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the script's event %q lacks %q", msg, want)
		}
	}

	m.scriptJob(t, "patches", `set -euo pipefail
echo patching
oc patch machineconfigpool worker --type merge -p '{"spec":{"paused":true}}'
echo patched
`)
	status, msg = m.finished(t, "patches")
	t.Logf("the patching script's Job: %s", msg)
	if status != "Failed" || !strings.Contains(msg, "forbidden") || !strings.Contains(msg, "system:serviceaccount:"+scriptNamespace+":runner") || strings.Contains(msg, "patched") {
		t.Errorf("the patching script's Job is %s: %s; want Failed by the API server's refusal", status, msg)
	}
	if m.poolPaused(t, "worker") {
		t.Error("the worker pool was paused by an account that may not patch it")
	}

	m.createCronJob(t, "retest", "*/5 * * * *", true)
	m.scriptJob(t, "starts", `set -euo pipefail
oc create job retest-manual -n "$NAMESPACE" --from=cronjob/retest
`)
	if status, msg := m.finished(t, "starts"); status != "Complete" {
		t.Fatalf("the starting script's Job is %s: %s", status, msg)
	}
	job, err := m.kube.BatchV1().Jobs(scriptNamespace).Get(m.ctx, "retest-manual", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ref := metav1.GetControllerOf(job); ref == nil || ref.Kind != "CronJob" || ref.Name != "retest" {
		t.Errorf("the Job oc created is controlled by %v, want CronJob retest", ref)
	}
	if status, msg := m.finished(t, "retest-manual"); status != "Complete" {
		t.Errorf("the Job made from the CronJob is %s: %s", status, msg)
	}
	if err := m.Errors(); err != nil {
		t.Fatal(err)
	}
}

func (m *machineTwin) poolPaused(t *testing.T, pool string) bool {
	t.Helper()
	p, err := m.dyn.Resource(gvrMCP).Get(m.ctx, pool, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	paused, _, _ := unstructured.NestedBool(p.Object, "spec", "paused")
	return paused
}

// createCronJob creates a CronJob in the script namespace whose Jobs run a
// container the twin finishes at once.
func (m *machineTwin) createCronJob(t *testing.T, name, schedule string, suspend bool) *batchv1.CronJob {
	t.Helper()
	labels := map[string]string{"app.kubernetes.io/name": name}
	cj := &batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: batchv1.CronJobSpec{
		Schedule: schedule, Suspend: &suspend, ConcurrencyPolicy: batchv1.ForbidConcurrent,
		JobTemplate: batchv1.JobTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: labels, Annotations: map[string]string{"lowlat.dev/pass": "retest"}},
			Spec: batchv1.JobSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
				RestartPolicy: corev1.RestartPolicyNever,
				Containers:    []corev1.Container{{Name: "test", Image: "quay.io/example/test:1", Command: []string{"/usr/bin/test"}}},
			}}},
		},
	}}
	made, err := m.kube.BatchV1().CronJobs(scriptNamespace).Create(m.ctx, cj, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return made
}

// waitModelled waits for a modelled duration of the twin's clock.
func (m *machineTwin) waitModelled(d time.Duration) { time.Sleep(m.clock.Real(d)) }

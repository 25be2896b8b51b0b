//go:build e2e

package perfrun

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/lowlat/lowlat/generator/e2e"
)

// TestRetentionKeepsWhatItMust runs retention.sh, with the e2e kubectl as
// oc, against a real API server holding runs in every state: the current
// run and a run in progress stay whatever the counts; a superseded run
// that never started goes; finished runs beyond the newest KEEP_RUNS go
// with their configs, the ones kept leave their Application's health; and
// results beyond KEEP_RESULTS go.
func TestRetentionKeepsWhatItMust(t *testing.T) {
	bin, err := e2e.BinDir("../..")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cluster, err := e2e.Start(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Stop()
	cs, err := kubernetes.NewForConfig(cluster.Config)
	if err != nil {
		t.Fatal(err)
	}
	const ns = "lowlat-perf"
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// Oldest first; names sort as they were created, as a tie-break for
	// runs created within one second.
	runs := []struct {
		name     string
		started  bool
		finished batchv1.JobConditionType
		series   string
	}{
		{"run-1", true, batchv1.JobComplete, ""},
		{"run-2", true, batchv1.JobComplete, ""},
		{"run-3", true, batchv1.JobFailed, ""},
		{"run-4", true, "", ""},  // in progress
		{"run-5", false, "", ""}, // superseded before it started
		{"run-6", false, "", ""}, // current, waiting for its pool
		// A series whose newest run this pass does not know as current
		// (its CronJob predates the commit): the newest stays, the one
		// it replaced goes.
		{"stale-1", false, "", "oslat-c5"},
		{"stale-2", false, "", "oslat-c5"},
	}
	for _, r := range runs {
		series := r.series
		if series == "" {
			series = "kube-burner-retest"
		}
		job := &batchv1.Job{
			ObjectMeta: metav1.ObjectMeta{Name: r.name, Namespace: ns, Labels: map[string]string{SeriesLabel: series}},
			Spec: batchv1.JobSpec{Suspend: ptr(true), Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever,
				Containers: []corev1.Container{{Name: "c", Image: "i"}}}}},
		}
		if r.started {
			job.Annotations = map[string]string{StartedAnnotation: "2026-12-04T10:00:00Z"}
		}
		created, err := cs.BatchV1().Jobs(ns).Create(ctx, job, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r.finished != "" {
			now := metav1.Now()
			created.Status = batchv1.JobStatus{StartTime: &now, Conditions: []batchv1.JobCondition{{Type: r.finished, Status: corev1.ConditionTrue, LastTransitionTime: now}}}
			if r.finished == batchv1.JobComplete {
				created.Status.CompletionTime = &now
				created.Status.Succeeded = 1
				created.Status.Conditions = append([]batchv1.JobCondition{{Type: batchv1.JobSuccessCriteriaMet, Status: corev1.ConditionTrue, LastTransitionTime: now}}, created.Status.Conditions...)
			} else {
				created.Status.Failed = 1
				created.Status.Conditions = append([]batchv1.JobCondition{{Type: batchv1.JobFailureTarget, Status: corev1.ConditionTrue, LastTransitionTime: now}}, created.Status.Conditions...)
			}
			if _, err := cs.BatchV1().Jobs(ns).UpdateStatus(ctx, created, metav1.UpdateOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		for _, cm := range []*corev1.ConfigMap{
			{ObjectMeta: metav1.ObjectMeta{Name: r.name, Namespace: ns}},
			{ObjectMeta: metav1.ObjectMeta{Name: r.name + ResultsSuffix, Namespace: ns, Labels: map[string]string{ResultsLabel: "kube-burner", SeriesLabel: series}}},
		} {
			if _, err := cs.CoreV1().ConfigMaps(ns).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}

	out := runRetention(t, bin, cluster, "2", "3", "run-6")
	t.Logf("retention.sh:\n%s", out)

	jobs, err := cs.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	left, ignored := []string{}, []string{}
	for _, j := range jobs.Items {
		if j.DeletionTimestamp == nil {
			left = append(left, j.Name)
		}
		if j.Annotations["argocd.argoproj.io/ignore-healthcheck"] == "true" {
			ignored = append(ignored, j.Name)
		}
	}
	sort.Strings(left)
	sort.Strings(ignored)
	if diff := cmp.Diff([]string{"run-2", "run-3", "run-4", "run-6", "stale-2"}, left); diff != "" {
		t.Errorf("runs left (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"run-2", "run-3"}, ignored); diff != "" {
		t.Errorf("runs out of the Application's health (-want +got):\n%s", diff)
	}
	cms, err := cs.CoreV1().ConfigMaps(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var configs []string
	for _, cm := range cms.Items {
		if cm.Name != "kube-root-ca.crt" {
			configs = append(configs, cm.Name)
		}
	}
	sort.Strings(configs)
	want := []string{"run-2", "run-3", "run-4", "run-4-results", "run-5-results", "run-6", "run-6-results", "stale-1-results", "stale-2", "stale-2-results"}
	if diff := cmp.Diff(want, configs); diff != "" {
		t.Errorf("ConfigMaps left (-want +got):\n%s", diff)
	}
}

// runRetention runs retention.sh as the retention CronJob's pod would.
func runRetention(t *testing.T, bin string, cluster *e2e.Cluster, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "bin")
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(bin, "kubectl"), filepath.Join(path, "oc")); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "kubeconfig")
	if err := cluster.WriteKubeconfig(file, "lowlat-perf"); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", append([]string{"retention.sh"}, args...)...)
	cmd.Env = []string{"PATH=" + path + ":/usr/bin:/bin", "KUBECONFIG=" + file, "HOME=" + dir, "TMPDIR=" + dir}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("retention.sh: %v\n%s", err, out)
	}
	return string(out)
}

func ptr[T any](v T) *T { return &v }

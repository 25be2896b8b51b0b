//go:build e2e

package pull

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/lowlat/lowlat/generator/e2e"
	"github.com/lowlat/lowlat/generator/perfrun"
)

const repo = "../../.."

// publisher runs perfrun's publish.sh as a run's pod does: bash, with oc
// (the e2e kubectl) on its PATH, against the e2e API server.
type publisher struct {
	t          *testing.T
	bin, kube  string
	scriptPath string
}

func newPublisher(t *testing.T, binDir string, cluster *e2e.Cluster) *publisher {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"oc", "kubectl"} {
		if err := os.Symlink(filepath.Join(binDir, "kubectl"), filepath.Join(bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(dir, "kubeconfig")
	if err := cluster.WriteKubeconfig(file, "lowlat-perf"); err != nil {
		t.Fatal(err)
	}
	return &publisher{t: t, bin: bin, kube: file, scriptPath: filepath.Join(repo, "generator", "perfrun", "publish.sh")}
}

// publish leaves a run's results as its pod would: the kube-burner
// metrics directory metrics (under <phase>/<uuid>/ of the results
// directory), the exit status, start time and revision start.sh records,
// then publish.sh with the run's labels.
func (p *publisher) publish(job, phase, metrics string, exit int, edit func(dir string)) string {
	p.t.Helper()
	results := p.t.TempDir()
	uuid := "3f1c2a9e-7b7d-4e1f-9a1b-" + strings.Repeat("0", 12-len(job)%12) + job[len(job)-len(job)%12:]
	run := filepath.Join(results, phase, uuid)
	if err := os.MkdirAll(run, 0o755); err != nil {
		p.t.Fatal(err)
	}
	entries, err := os.ReadDir(metrics)
	if err != nil {
		p.t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(metrics, e.Name()))
		if err != nil {
			p.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(run, e.Name()), data, 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
	for name, body := range map[string]string{"exit-code": strconvItoa(exit), "started": "2026-12-04T10:00:00Z", "revision": "0123456789abcdef0123456789abcdef01234567", "test.log": "kube-burner ran\n"} {
		if err := os.WriteFile(filepath.Join(results, name), []byte(body+"\n"), 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
	if edit != nil {
		edit(run)
	}
	cmd := exec.Command("bash", p.scriptPath, results,
		perfrun.ClusterLabel+"=lab1", perfrun.PoolLabel+"=cnf-c5", perfrun.PhaseLabel+"="+phase, perfrun.TestLabel+"=kube-burner",
		perfrun.SeriesLabel+"=kube-burner-"+phase, perfrun.TuningLabel+"=f35939b461")
	cmd.Env = []string{"PATH=" + p.bin + ":/usr/bin:/bin", "KUBECONFIG=" + p.kube, "HOME=" + p.t.TempDir(), "JOB_NAME=" + job}
	out, err := cmd.CombinedOutput()
	if exit == 0 && err != nil {
		p.t.Fatalf("publish.sh: %v\n%s", err, out)
	}
	return string(out)
}

func strconvItoa(n int) string { return strconv.Itoa(n) }

// TestPullFromAnAPIServer publishes runs with publish.sh against a real
// API server, then pulls: the finished runs land in the store, a run still
// in progress and a corrupt one are skipped and said so, and a second pull
// finds everything there.
func TestPullFromAnAPIServer(t *testing.T) {
	bin, err := e2e.BinDir(repo)
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
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "lowlat-perf"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// The Jobs of the runs: publish.sh annotates a failed one.
	for _, name := range []string{"kube-burner-baseline", "kube-burner-retest-aaaaaaaaaa", "kube-burner-retest-bbbbbbbbbb", "kube-burner-retest-cccccccccc"} {
		job := &batchv1.Job{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "lowlat-perf", Labels: map[string]string{perfrun.SeriesLabel: "kube-burner-retest"}},
			Spec: batchv1.JobSpec{Suspend: ptr(true), Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever,
				Containers: []corev1.Container{{Name: "c", Image: "i"}}}}},
		}
		if _, err := cs.BatchV1().Jobs("lowlat-perf").Create(ctx, job, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	p := newPublisher(t, bin, cluster)
	p.publish("kube-burner-baseline", "baseline", repo+"/fixtures/kube-burner/baseline", 0, nil)
	p.publish("kube-burner-retest-aaaaaaaaaa", "retest", repo+"/fixtures/kube-burner/retest", 0, nil)
	failed := p.publish("kube-burner-retest-cccccccccc", "retest", repo+"/fixtures/kube-burner/retest", 4, func(dir string) {
		if err := os.WriteFile(filepath.Join(dir, "podLatencyQuantilesMeasurement-pod-density.json"), []byte("[{"), 0o644); err != nil {
			t.Fatal(err)
		}
	})
	job, err := cs.BatchV1().Jobs("lowlat-perf").Get(ctx, "kube-burner-retest-cccccccccc", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if job.Annotations[perfrun.VerdictAnnotation] == "" {
		t.Errorf("publish.sh of a failed run left no verdict on its Job; it said:\n%s", failed)
	}

	store := t.TempDir()
	rep, err := Pull(ctx, cs, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Pulled) != 2 || len(rep.Corrupt) != 1 || !strings.Contains(rep.Corrupt[0].Name, "kube-burner-retest-cccccccccc") {
		t.Errorf("pulled %+v, unreadable %+v: want the baseline and one re-test, and the corrupt re-test skipped", rep.Pulled, rep.Corrupt)
	}
	if len(rep.InProgress) != 1 || rep.InProgress[0] != "lowlat-perf/kube-burner-retest-bbbbbbbbbb" {
		t.Errorf("in progress %v, want the run without results", rep.InProgress)
	}
	for _, m := range rep.Pulled {
		if m.Revision != "0123456789abcdef0123456789abcdef01234567" || m.Started.IsZero() || m.Finished.IsZero() || m.UUID == "" || m.Verdict != "passed" {
			t.Errorf("run %s: %+v", m.Name, m)
		}
	}
	pairs, _, err := Latest(store)
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 1 || pairs[0].Latest.Name != "kube-burner-retest-aaaaaaaaaa" {
		t.Errorf("latest pairs %+v", pairs)
	}
	again, err := Pull(ctx, cs, store, []string{"lowlat-perf"})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Pulled) != 0 || again.Present != 2 {
		t.Errorf("a second pull wrote %d and found %d runs, want 0 and 2", len(again.Pulled), again.Present)
	}
}

func ptr[T any](v T) *T { return &v }

package pull

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/lowlat/lowlat/generator/perfrun"
)

const fixtures = "../../../fixtures/kube-burner"

// resultsConfigMap is a run's results as publish.sh leaves them: the files
// of dir (a kube-burner metrics directory), the run's labels and
// annotations.
func resultsConfigMap(t *testing.T, name, phase, dir, finished string) *corev1.ConfigMap {
	t.Helper()
	data := map[string]string{"test.log": "kube-burner log\n"}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		data[e.Name()] = string(b)
	}
	return &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: name + perfrun.ResultsSuffix, Namespace: "lowlat-perf",
			Labels: map[string]string{
				perfrun.ClusterLabel: "lab1", perfrun.PoolLabel: "cnf-c5", perfrun.PhaseLabel: phase, perfrun.TestLabel: "kube-burner",
				perfrun.SeriesLabel: "kube-burner-" + phase, perfrun.TuningLabel: "f35939b461", perfrun.RunLabel: name,
				perfrun.UUIDLabel: "d7d593e6", perfrun.RevisionLbl: "0123456789abcdef0123456789abcdef01234567",
			},
			Annotations: map[string]string{perfrun.StartedAnnotation: "2026-12-04T10:00:00Z", finishedAnnotation: finished,
				exitCodeAnnotation: "0", perfrun.VerdictAnnotation: "passed"}},
		Data: data,
	}
}

func runJob(name string, done bool) *batchv1.Job {
	j := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "lowlat-perf", Labels: map[string]string{perfrun.SeriesLabel: "kube-burner-retest"}}}
	if done {
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue}}
	}
	return j
}

// TestPullWritesEachRunOnceAndSaysWhatItSkipped: the passed runs land in
// the store's layout with their files and run.json; a run in progress, one
// finished without results and unreadable results are reported and
// skipped; a second pull writes nothing.
func TestPullWritesEachRunOnceAndSaysWhatItSkipped(t *testing.T) {
	corrupt := resultsConfigMap(t, "kube-burner-retest-cccccccccc", "retest", fixtures+"/retest", "2026-12-04T12:00:00Z")
	corrupt.Data["podLatencyQuantilesMeasurement-pod-density.json"] = "[{not json"
	unlabelled := resultsConfigMap(t, "kube-burner-retest-dddddddddd", "retest", fixtures+"/retest", "2026-12-04T12:00:00Z")
	delete(unlabelled.Labels, perfrun.PoolLabel)
	undated := resultsConfigMap(t, "kube-burner-retest-eeeeeeeeee", "retest", fixtures+"/retest", "yesterday")
	objs := []runtime.Object{
		resultsConfigMap(t, "kube-burner-baseline", "baseline", fixtures+"/baseline", "2026-12-04T10:30:00Z"),
		resultsConfigMap(t, "kube-burner-retest-aaaaaaaaaa", "retest", fixtures+"/retest", "2026-12-04T11:30:00Z"),
		corrupt, unlabelled, undated,
		runJob("kube-burner-retest-aaaaaaaaaa", true), runJob("kube-burner-retest-bbbbbbbbbb", false), runJob("kube-burner-retest-ffffffffff", true),
	}
	cs := fake.NewClientset(objs...)
	store := t.TempDir()
	rep, err := Pull(context.Background(), cs, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	var pulled []string
	for _, m := range rep.Pulled {
		pulled = append(pulled, m.Name)
	}
	if diff := cmp.Diff([]string{"kube-burner-baseline", "kube-burner-retest-aaaaaaaaaa"}, pulled); diff != "" {
		t.Errorf("pulled (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"lowlat-perf/kube-burner-retest-bbbbbbbbbb"}, rep.InProgress); diff != "" {
		t.Errorf("in progress (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"lowlat-perf/kube-burner-retest-ffffffffff"}, rep.NoResults); diff != "" {
		t.Errorf("finished without results (-want +got):\n%s", diff)
	}
	want := map[string]string{
		"lowlat-perf/kube-burner-retest-cccccccccc-results": "podLatencyQuantilesMeasurement-pod-density.json",
		"lowlat-perf/kube-burner-retest-dddddddddd-results": "lowlat.dev/pool missing",
		"lowlat-perf/kube-burner-retest-eeeeeeeeee-results": `"yesterday" is no RFC 3339 time`,
	}
	if len(rep.Corrupt) != len(want) {
		t.Errorf("unreadable results %v, want %d", rep.Corrupt, len(want))
	}
	for _, p := range rep.Corrupt {
		if !strings.Contains(p.Reason, want[p.Name]) || want[p.Name] == "" {
			t.Errorf("%s: %q, want it to say %q", p.Name, p.Reason, want[p.Name])
		}
	}
	dir := filepath.Join(store, "lab1", "cnf-c5", "kube-burner-retest", "kube-burner-retest-aaaaaaaaaa")
	for _, f := range []string{MetaFile, "podLatencyQuantilesMeasurement-pod-density.json", "jobSummary.json", "test.log"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the pulled run lacks %s: %v", f, err)
		}
	}
	again, err := Pull(context.Background(), cs, store, []string{"lowlat-perf"})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Pulled) != 0 || again.Present != 2 {
		t.Errorf("a second pull wrote %d runs and found %d, want 0 and 2", len(again.Pulled), again.Present)
	}
	pairs, lone, err := Latest(store)
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 1 || pairs[0].Before.Name != "kube-burner-baseline" || pairs[0].Latest.Name != "kube-burner-retest-aaaaaaaaaa" || len(lone) != 0 {
		t.Errorf("latest pairs %+v, lone %v: want the baseline, then the re-test", pairs, lone)
	}
}

// TestAFailedRunWithoutQuantilesIsKept: kube-burner that failed before it
// measured leaves its log and exit status, which are worth keeping; the
// comparison skips it.
func TestAFailedRunWithoutQuantilesIsKept(t *testing.T) {
	failed := resultsConfigMap(t, "kube-burner-retest-aaaaaaaaaa", "retest", t.TempDir(), "2026-12-04T11:30:00Z")
	failed.Annotations[exitCodeAnnotation] = "1"
	passed := resultsConfigMap(t, "kube-burner-retest-bbbbbbbbbb", "retest", t.TempDir(), "2026-12-04T12:30:00Z")
	store := t.TempDir()
	rep, err := Pull(context.Background(), fake.NewClientset(failed, passed), store, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Pulled) != 1 || rep.Pulled[0].ExitCode != 1 || len(rep.Corrupt) != 1 || !strings.Contains(rep.Corrupt[0].Reason, "without quantile files") {
		t.Errorf("pulled %+v, unreadable %+v: want the failed run kept and the passed one without quantiles refused", rep.Pulled, rep.Corrupt)
	}
	if pairs, _, _ := Latest(store); len(pairs) != 0 {
		t.Errorf("pairs %+v: a run without quantiles has nothing to compare", pairs)
	}
}

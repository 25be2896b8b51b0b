//go:build e2e

package rehearse

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/lowlat/lowlat/generator/perfrun"
	"github.com/lowlat/lowlat/generator/rehearse/timeline"
	"github.com/lowlat/lowlat/generator/rehearse/twin"
)

// retestRun is one kube-burner re-test Job of a pass: when ArgoCD created
// it, when its start step ran (after its waits) and how it ended.
type retestRun struct {
	job                    string
	created, started, done time.Duration
	status                 string
}

// retestRuns lists the re-test Jobs (lowlat-perf/kube-burner-retest-<hash>)
// of a revision, in the order they were created.
func retestRuns(events []timeline.Event, revision string) []retestRun {
	var out []retestRun
	find := func(name string) *retestRun {
		for i := range out {
			if out[i].job == name {
				return &out[i]
			}
		}
		return nil
	}
	for _, e := range events {
		name, ok := strings.CutPrefix(e.Resource, "Job lowlat-perf/kube-burner-retest-")
		if e.Kind != timeline.Run || e.Revision != revision || !ok {
			continue
		}
		switch {
		case e.Status == "Running":
			out = append(out, retestRun{job: name, created: e.At})
		case e.Status == "Ran" && strings.HasPrefix(e.Message, "container start:"):
			if r := find(name); r != nil {
				r.started = e.At
			}
		case e.Status == "Complete" || e.Status == "Failed":
			if r := find(name); r != nil {
				r.done, r.status = e.At, e.Status
			}
		}
	}
	return out
}

// poolUpdated is when the last node of pool came back in a revision.
func poolUpdated(events []timeline.Event, pool, revision string) time.Duration {
	var last time.Duration
	for _, e := range events {
		if e.Kind == timeline.Node && e.Pool == pool && e.Status == "Ready" && e.Revision == revision && e.At > last {
			last = e.At
		}
	}
	return last
}

// results lists the results ConfigMaps of the perf tests' namespace and
// the re-test Jobs that are left, through the cluster's API.
type results struct {
	configMaps map[string]map[string]string // name → labels
	data       map[string][]string          // name → keys
	jobs       map[string]map[string]string // name → annotations
}

func inspectRuns(into *results) func(ctx context.Context, cluster string, cfg *rest.Config) error {
	return func(ctx context.Context, _ string, cfg *rest.Config) error {
		cs, err := kubernetes.NewForConfig(cfg)
		if err != nil {
			return err
		}
		cms, err := cs.CoreV1().ConfigMaps("lowlat-perf").List(ctx, metav1.ListOptions{LabelSelector: perfrun.ResultsLabel})
		if err != nil {
			return err
		}
		into.configMaps, into.data, into.jobs = map[string]map[string]string{}, map[string][]string{}, map[string]map[string]string{}
		for _, cm := range cms.Items {
			into.configMaps[cm.Name] = cm.Labels
			for k := range cm.Data {
				into.data[cm.Name] = append(into.data[cm.Name], k)
			}
			sort.Strings(into.data[cm.Name])
		}
		jobs, err := cs.BatchV1().Jobs("lowlat-perf").List(ctx, metav1.ListOptions{LabelSelector: perfrun.SeriesLabel})
		if err != nil {
			return err
		}
		for _, j := range jobs.Items {
			into.jobs[j.Name] = j.Annotations
		}
		return nil
	}
}

// TestEveryChangeIsMeasuredOnceItRuns rolls the workshop out, then a
// commit that moves cnf-c5's reserved CPUs. The rollout runs one re-test;
// the update creates a new one (its inputs changed), which waits until
// every cnf-c5 node runs the new tuning and only then starts. The first
// re-test stays (not pruned, out of the Application's health), and each
// run's results come back as a labelled ConfigMap.
func TestEveryChangeIsMeasuredOnceItRuns(t *testing.T) {
	fromInv, before := load(t, repo+"/fixtures/inventories/workshop.yaml")
	inv, after := load(t, repo+"/fixtures/rehearse/workshop-retune.yaml")
	var got results
	rep := rehearse(t, Options{Inventory: inv, FromInventory: fromInv,
		From: &Revision{Label: "rollout", Tree: before}, To: Revision{Label: "retune", Tree: after},
		Speed: faultSpeed, Inspect: inspectRuns(&got)})
	if !rep.Converged() {
		t.Fatal("the rollout and the retune do not both converge")
	}
	c := rep.Clusters[0]
	first, second := retestRuns(c.Events, "rollout"), retestRuns(c.Events, "retune")
	if len(first) != 1 || first[0].status != "Complete" {
		t.Fatalf("rollout: re-tests %+v; want one, passed", first)
	}
	if len(second) != 1 || second[0].status != "Complete" || second[0].job == first[0].job {
		t.Fatalf("retune: re-tests %+v; want one new re-test, passed", second)
	}
	updated := poolUpdated(c.Events, "cnf-c5", "retune")
	if updated == 0 {
		t.Fatal("retune: cnf-c5 did not roll out")
	}
	run := second[0]
	t.Logf("retune: re-test %s created at %s, cnf-c5 updated at %s, re-test started at %s", run.job, run.created, updated, run.started)
	if run.started == 0 || run.started < updated {
		t.Errorf("the new re-test started at %s, before cnf-c5 finished rolling out the new tuning at %s", run.started, updated)
	}
	reboots := 0
	for _, e := range c.Events {
		if e.Kind == timeline.Reboot && e.Revision == "retune" && e.Pool == "cnf-c5" {
			reboots++
		}
	}
	if reboots != 2 {
		t.Errorf("retune: cnf-c5 rebooted %d times, want once per node (2): the tuning marker must not cost a reboot of its own", reboots)
	}
	for _, a := range c.Passes[1].Apps {
		if len(a.Waiting) > 0 {
			t.Errorf("retune: %s still waits for %+v", a.Name, a.Waiting)
		}
	}
	old := "kube-burner-retest-" + first[0].job
	ann, ok := got.jobs[old]
	if !ok {
		t.Fatalf("the first re-test %s was deleted; runs left: %v", old, got.jobs)
	}
	if ann[perfrun.StartedAnnotation] == "" || ann["argocd.argoproj.io/ignore-healthcheck"] != "true" {
		t.Errorf("the superseded re-test's annotations %v: want started, and its health out of the Application's", ann)
	}
	want := map[string]string{"kube-burner-baseline-results": "none", old + perfrun.ResultsSuffix: "", "kube-burner-retest-" + run.job + perfrun.ResultsSuffix: ""}
	tunings := map[string]bool{}
	for name, tuning := range want {
		labels, ok := got.configMaps[name]
		if !ok {
			t.Errorf("no results ConfigMap %s; have %v", name, got.configMaps)
			continue
		}
		if labels[perfrun.ClusterLabel] != "lab1" || labels[perfrun.PoolLabel] != "cnf-c5" || labels[perfrun.UUIDLabel] == "" || labels[perfrun.RevisionLbl] == "" {
			t.Errorf("%s: labels %v", name, labels)
		}
		if tuning != "" && labels[perfrun.TuningLabel] != tuning {
			t.Errorf("%s: tuning %q, want %q", name, labels[perfrun.TuningLabel], tuning)
		}
		tunings[labels[perfrun.TuningLabel]] = true
		if keys := fmt.Sprint(got.data[name]); !strings.Contains(keys, "podLatencyQuantilesMeasurement-pod-density.json") || !strings.Contains(keys, "jobSummary.json") {
			t.Errorf("%s holds %s; want the quantiles and the job summary", name, keys)
		}
	}
	if len(tunings) != 3 {
		t.Errorf("tuning labels %v: want the baseline's and one per re-test", tunings)
	}
}

// TestACommitThatChangesNothingRunsNothing syncs the same tree again: no
// new re-test, no reboot.
func TestACommitThatChangesNothingRunsNothing(t *testing.T) {
	inv, tr := load(t, repo+"/fixtures/inventories/workshop.yaml")
	rep := rehearse(t, Options{Inventory: inv, FromInventory: inv,
		From: &Revision{Label: "rollout", Tree: tr}, To: Revision{Label: "again", Tree: tr}, Speed: faultSpeed})
	if !rep.Converged() {
		t.Fatal("the workshop does not converge twice")
	}
	c := rep.Clusters[0]
	if runs := retestRuns(c.Events, "again"); len(runs) != 0 {
		t.Errorf("an unchanged tree ran re-tests %+v", runs)
	}
	for _, e := range c.Events {
		if e.Revision == "again" && (e.Kind == timeline.Reboot || e.Kind == timeline.Drain) {
			t.Errorf("an unchanged tree drained or rebooted %s", e.Resource)
		}
	}
}

// TestABreachedThresholdFailsTheRunAndNamesTheMetric: kube-burner breaks a
// threshold in the re-test; its results still come home, the Job fails,
// and the re-test's Application is Degraded with kube-burner's words.
func TestABreachedThresholdFailsTheRunAndNamesTheMetric(t *testing.T) {
	inv, tr := load(t, repo+"/fixtures/inventories/workshop.yaml")
	var got results
	rep := rehearse(t, Options{Inventory: inv, To: Revision{Label: "rollout", Tree: tr}, Speed: faultSpeed,
		Faults: twin.Faults{FailJob: []string{"lowlat-perf/kube-burner-retest-*"}}, Inspect: inspectRuns(&got)})
	if rep.Converged() {
		t.Fatal("the rollout converged although the re-test broke a threshold")
	}
	c := rep.Clusters[0]
	runs := retestRuns(c.Events, "rollout")
	if len(runs) != 1 || runs[0].status != "Failed" {
		t.Fatalf("re-tests %+v; want one, failed", runs)
	}
	a := app(t, c.Passes[0], "lab1-perftest-retest")
	var message string
	for _, w := range a.Waiting {
		if strings.HasPrefix(w.Resource, "Job.batch lowlat-perf/kube-burner-retest-") {
			message = w.Health + ": " + w.Message
		}
	}
	if a.Health != "Degraded" || !strings.HasPrefix(message, "Degraded: P99 ") || !strings.Contains(message, "latency (") || !strings.Contains(message, "higher than configured threshold: ") {
		t.Errorf("lab1-perftest-retest is %s, its re-test %q: want Degraded, naming the metric", a.Health, message)
	}
	name := "kube-burner-retest-" + runs[0].job
	if ann := got.jobs[name]; !strings.Contains(ann[perfrun.VerdictAnnotation], "higher than configured threshold") {
		t.Errorf("the failed re-test's verdict annotation %q", ann[perfrun.VerdictAnnotation])
	}
	if labels, ok := got.configMaps[name+perfrun.ResultsSuffix]; !ok || labels[perfrun.PoolLabel] != "cnf-c5" {
		t.Errorf("the failed re-test left no results: %v", got.configMaps)
	}
}

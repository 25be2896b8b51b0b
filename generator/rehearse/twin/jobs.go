package twin

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"sync"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// jobs plays the Job controller and the pods of Jobs: each Job's pod runs
// its init containers, then its containers, as programs (programs.go)
// with the rights of the pod's service account; the Job then reports
// Complete, or Failed once backoffLimit is used up, with the conditions a
// 1.34 API server requires (SuccessCriteriaMet before Complete,
// FailureTarget before Failed). A Job named in the fail-job fault fails
// when its program would have succeeded.
type jobs struct {
	t *Twin

	mu   sync.Mutex
	runs map[string]*jobRun // job uid → run
}

type jobRun struct {
	step     int // index into the pod's containers, inits first
	steps    []corev1.Container
	started  time.Duration // modelled start of the current step
	state    any           // the current step's program state
	failures int32
	done     bool
	// volumes are the current pod's emptyDirs.
	volumes *emptyDirs
}

func newJobs(t *Twin) *jobs { return &jobs{t: t, runs: map[string]*jobRun{}} }

func (j *jobs) name() string { return "job-controller" }

func (j *jobs) reconcile(ctx context.Context, s *snapshot) error {
	for i := range s.list(gvrJob) {
		var job batchv1.Job
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(s.list(gvrJob)[i].Object, &job); err != nil {
			return err
		}
		if job.DeletionTimestamp != nil || finished(&job) || (job.Spec.Suspend != nil && *job.Spec.Suspend) {
			continue
		}
		if err := j.job(ctx, &job); err != nil {
			return err
		}
	}
	return nil
}

func finished(job *batchv1.Job) bool {
	for _, c := range job.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

func (j *jobs) job(ctx context.Context, job *batchv1.Job) error {
	key := string(job.UID)
	now := j.t.clock.Elapsed()
	j.mu.Lock()
	run := j.runs[key]
	if run == nil {
		run = &jobRun{steps: append(append([]corev1.Container(nil), job.Spec.Template.Spec.InitContainers...), job.Spec.Template.Spec.Containers...), started: now}
		j.runs[key] = run
	}
	j.mu.Unlock()
	ref := "Job " + job.Namespace + "/" + job.Name
	if job.Status.StartTime == nil {
		j.t.rec.Add(timeline.Event{Kind: timeline.Run, Resource: ref, Status: "Running"})
		return j.status(ctx, job, map[string]any{"startTime": j.t.clock.Now().UTC().Format(time.RFC3339), "active": int64(1), "ready": int64(0)})
	}
	if now < run.started+j.t.spec.Durations.PodStart {
		return nil
	}
	sa := job.Spec.Template.Spec.ServiceAccountName
	if sa == "" {
		sa = "default"
	}
	pod := job.Name + "-" + shortHash(fmt.Sprint(job.UID, run.failures))
	if run.volumes == nil {
		run.volumes = &emptyDirs{root: filepath.Join(j.t.scratch(), "pods", pod)}
	}
	p := &process{t: j.t, namespace: job.Namespace, serviceAccount: sa, job: job.Name,
		pod: pod, podSpec: &job.Spec.Template.Spec,
		started: run.started + j.t.spec.Durations.PodStart, emptyDirs: run.volumes}
	for run.step < len(run.steps) {
		exit, msg, done := p.run(ctx, &run.steps[run.step], &run.state)
		if !done {
			return nil
		}
		if exit != 0 {
			return j.fail(ctx, job, run, fmt.Sprintf("container %s exited %d: %s", run.steps[run.step].Name, exit, msg))
		}
		run.step++
		run.state = nil
		run.started = now - j.t.spec.Durations.PodStart
		p.started = now
	}
	run.volumes.remove()
	if j.t.spec.Faults.failJob(job.Namespace, job.Name) {
		j.t.rec.Add(timeline.Event{Kind: timeline.Fault, Resource: ref, Status: "Failed", Message: "fault: the job's pod exits 1"})
		return j.fail(ctx, job, run, "fault: the job's pod exits 1")
	}
	at := j.t.clock.Now().UTC().Format(time.RFC3339)
	j.t.rec.Add(timeline.Event{Kind: timeline.Run, Resource: ref, Status: "Complete"})
	done := map[string]any{
		"active": int64(0), "ready": int64(0), "succeeded": int64(1), "completionTime": at,
		"conditions": []any{
			map[string]any{"type": "SuccessCriteriaMet", "status": "True", "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods", "lastProbeTime": at, "lastTransitionTime": at},
			map[string]any{"type": "Complete", "status": "True", "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods", "lastProbeTime": at, "lastTransitionTime": at},
		},
	}
	if run.failures > 0 {
		// The API server refuses a status that lowers the failed count.
		done["failed"] = int64(run.failures)
	}
	return j.status(ctx, job, done)
}

// fail counts a failed pod; past backoffLimit the Job fails, otherwise a
// new pod starts from the first step.
func (j *jobs) fail(ctx context.Context, job *batchv1.Job, run *jobRun, msg string) error {
	ref := "Job " + job.Namespace + "/" + job.Name
	run.failures++
	limit := int32(6)
	if job.Spec.BackoffLimit != nil {
		limit = *job.Spec.BackoffLimit
	}
	if run.volumes != nil {
		run.volumes.remove()
		run.volumes = nil
	}
	if run.failures <= limit {
		j.t.rec.Add(timeline.Event{Kind: timeline.Run, Resource: ref, Status: "PodFailed", Message: msg + "; retrying"})
		run.step, run.state, run.started = 0, nil, j.t.clock.Elapsed()
		return j.status(ctx, job, map[string]any{"failed": int64(run.failures), "active": int64(1)})
	}
	j.t.rec.Add(timeline.Event{Kind: timeline.Run, Resource: ref, Status: "Failed", Message: msg})
	at := j.t.clock.Now().UTC().Format(time.RFC3339)
	return j.status(ctx, job, map[string]any{
		"active": int64(0), "ready": int64(0), "failed": int64(run.failures),
		"conditions": []any{
			map[string]any{"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit", "lastProbeTime": at, "lastTransitionTime": at},
			map[string]any{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit: " + msg, "lastProbeTime": at, "lastTransitionTime": at},
		},
	})
}

func (j *jobs) status(ctx context.Context, job *batchv1.Job, st map[string]any) error {
	obj := object("batch/v1", "Job", job.Namespace, job.Name)
	if job.Status.StartTime != nil {
		if _, ok := st["startTime"]; !ok {
			st["startTime"] = job.Status.StartTime.UTC().Format(time.RFC3339)
		}
	}
	obj["status"] = st
	return j.t.applyStatus(ctx, j.name(), gvrJob, obj)
}

// failJob reports whether the fail-job fault names the Job: by name or
// namespace/name, either a path.Match pattern (lowlat-perf/canary-cnf-*
// names the Jobs a CronJob or a script makes under a name not known in
// advance).
func (f Faults) failJob(namespace, job string) bool {
	for _, n := range f.FailJob {
		if ok, _ := path.Match(n, job); ok {
			return true
		}
		if ok, _ := path.Match(n, namespace+"/"+job); ok {
			return true
		}
	}
	return false
}

// namespaces plays the namespace controller: a deleted namespace is
// finalized (the twin's workloads keep nothing that needs cleaning up).
type namespaces struct{ t *Twin }

func newNamespaces(t *Twin) *namespaces { return &namespaces{t: t} }

func (n *namespaces) name() string { return "namespace-controller" }

func (n *namespaces) reconcile(ctx context.Context, s *snapshot) error {
	for _, u := range s.list(gvrNamespace) {
		if u.GetDeletionTimestamp() == nil {
			continue
		}
		var ns corev1.Namespace
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &ns); err != nil {
			return err
		}
		ns.Spec.Finalizers = nil
		if _, err := n.t.kube.CoreV1().Namespaces().Finalize(ctx, &ns, metav1.UpdateOptions{}); err != nil && !apierrors.IsNotFound(err) {
			return err
		}
	}
	return nil
}

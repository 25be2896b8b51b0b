package twin

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

var gvrCronJob = schema.GroupVersionResource{Group: "batch", Version: "v1", Resource: "cronjobs"}

// cronJobs plays kube-controller-manager's CronJob controller (kubernetes
// v1.34 pkg/controller/cronjob/cronjob_controllerv2.go syncCronJob and
// cleanupFinishedJobs, utils.go) in modelled time. Its calendar is the
// twin's clock (clock.Now: the wall-clock instant the rehearsal started
// plus the modelled time since), the one every status timestamp of the
// twin and of ArgoCD's controller is written in, so that ArgoCD's CronJob
// health check (v3.3 resource_customizations/batch/CronJob/health.lua),
// which compares lastSuccessfulTime, a Job's completionTime, with
// lastScheduleTime, compares times of one calendar. A schedule's first
// run therefore comes up to one period after the CronJob appears, at a
// phase that depends on the start. The API server stamps creationTimestamp
// in wall-clock time, so a CronJob's creation is when the twin first lists
// it.
//
// Each tick, for each CronJob: the finished Jobs it controls beyond
// successfulJobsHistoryLimit and failedJobsHistoryLimit (the API server
// defaults 3 and 1) are deleted, oldest first, including Jobs made by
// `kubectl create job --from=cronjob/NAME`, which kubectl gives a
// controller reference to the CronJob; status.active drops finished and
// vanished Jobs; a successful Job's completionTime moves
// lastSuccessfulTime. Unless the CronJob is suspended, the most recent
// missed start time not past startingDeadlineSeconds starts Job
// <name>-<minutes since the Unix epoch> with the template's labels and
// annotations, the scheduled-timestamp annotation and a controller
// reference, as concurrencyPolicy allows (Forbid skips the time while a
// Job is active, Replace deletes the active Jobs first), and becomes
// lastScheduleTime. What the controller would put in an Event goes on the
// timeline, each once.
type cronJobs struct {
	t *Twin

	mu        sync.Mutex
	firstSeen map[string]time.Time       // CronJob uid → modelled creation
	said      map[string]map[string]bool // CronJob uid → events recorded
}

func newCronJobs(t *Twin) *cronJobs {
	return &cronJobs{t: t, firstSeen: map[string]time.Time{}, said: map[string]map[string]bool{}}
}

func (c *cronJobs) name() string { return "cronjob-controller" }

func (c *cronJobs) reconcile(ctx context.Context, s *snapshot) error {
	now := c.t.clock.Now()
	for i := range s.list(gvrCronJob) {
		var cj batchv1.CronJob
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(s.list(gvrCronJob)[i].Object, &cj); err != nil {
			return err
		}
		jobs, err := controlledJobs(s, &cj)
		if err != nil {
			return err
		}
		if err := c.cronJob(ctx, &cj, jobs, now); err != nil {
			return err
		}
	}
	return nil
}

// controlledJobs are the Jobs of the CronJob's namespace whose controller
// reference names it (getJobsToBeReconciled: the name is all it checks).
func controlledJobs(s *snapshot, cj *batchv1.CronJob) ([]*batchv1.Job, error) {
	var out []*batchv1.Job
	for _, u := range s.listIn(gvrJob, cj.Namespace) {
		var job batchv1.Job
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &job); err != nil {
			return nil, err
		}
		if ref := metav1.GetControllerOf(&job); ref != nil && ref.Name == cj.Name {
			out = append(out, &job)
		}
	}
	return out, nil
}

func (c *cronJobs) cronJob(ctx context.Context, cj *batchv1.CronJob, jobs []*batchv1.Job, now time.Time) error {
	created := c.created(cj, now)
	st := cj.Status.DeepCopy()
	cleaned, err := c.cleanup(ctx, cj, jobs, st)
	if err != nil {
		return err
	}
	synced, err := c.sync(ctx, cj, jobs, st, created, now)
	if err != nil {
		return err
	}
	if !cleaned && !synced {
		return nil
	}
	return c.writeStatus(ctx, cj, st)
}

// created is the modelled time the twin first saw the CronJob.
func (c *cronJobs) created(cj *batchv1.CronJob, now time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.firstSeen[string(cj.UID)]
	if !ok {
		t = now
		c.firstSeen[string(cj.UID)] = t
	}
	return t
}

// cleanup deletes the oldest finished Jobs beyond the history limits
// (cleanupFinishedJobs, removeOldestJobs: by status.startTime, then name).
func (c *cronJobs) cleanup(ctx context.Context, cj *batchv1.CronJob, jobs []*batchv1.Job, st *batchv1.CronJobStatus) (bool, error) {
	var succeeded, failed []*batchv1.Job
	for _, j := range jobs {
		switch jobFinished(j) {
		case batchv1.JobComplete:
			succeeded = append(succeeded, j)
		case batchv1.JobFailed:
			failed = append(failed, j)
		}
	}
	changed := false
	for _, h := range []struct {
		jobs  []*batchv1.Job
		limit *int32
	}{{succeeded, cj.Spec.SuccessfulJobsHistoryLimit}, {failed, cj.Spec.FailedJobsHistoryLimit}} {
		if h.limit == nil || len(h.jobs) <= int(*h.limit) {
			continue
		}
		sort.Slice(h.jobs, func(a, b int) bool { return startedBefore(h.jobs[a], h.jobs[b]) })
		for _, j := range h.jobs[:len(h.jobs)-int(*h.limit)] {
			if j.DeletionTimestamp != nil {
				continue
			}
			if err := c.deleteJob(ctx, j); err != nil {
				return changed, err
			}
			changed = removeActive(st, j.UID) || changed
		}
	}
	return changed, nil
}

// startedBefore orders Jobs as byJobStartTime does: started ones first,
// by start time, then by name.
func startedBefore(a, b *batchv1.Job) bool {
	switch {
	case a.Status.StartTime == nil && b.Status.StartTime != nil:
		return false
	case a.Status.StartTime != nil && b.Status.StartTime == nil:
		return true
	case a.Status.StartTime == nil || a.Status.StartTime.Equal(b.Status.StartTime):
		return a.Name < b.Name
	}
	return a.Status.StartTime.Before(b.Status.StartTime)
}

// jobFinished is Complete or Failed once a Job has finished, else "".
func jobFinished(j *batchv1.Job) batchv1.JobConditionType {
	for _, cond := range j.Status.Conditions {
		if (cond.Type == batchv1.JobComplete || cond.Type == batchv1.JobFailed) && cond.Status == corev1.ConditionTrue {
			return cond.Type
		}
	}
	return ""
}

func (c *cronJobs) deleteJob(ctx context.Context, j *batchv1.Job) error {
	background := metav1.DeletePropagationBackground
	err := c.t.kube.BatchV1().Jobs(j.Namespace).Delete(ctx, j.Name, metav1.DeleteOptions{PropagationPolicy: &background})
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

func removeActive(st *batchv1.CronJobStatus, uid types.UID) bool {
	var keep []corev1.ObjectReference
	for _, r := range st.Active {
		if r.UID != uid {
			keep = append(keep, r)
		}
	}
	changed := len(keep) != len(st.Active)
	st.Active = keep
	return changed
}

// event puts what the controller would record as an Event on the
// timeline, once per key.
func (c *cronJobs) event(cj *batchv1.CronJob, key, reason, msg string) {
	c.mu.Lock()
	said := c.said[string(cj.UID)]
	if said == nil {
		said = map[string]bool{}
		c.said[string(cj.UID)] = said
	}
	seen := said[reason+"|"+key]
	said[reason+"|"+key] = true
	c.mu.Unlock()
	if !seen {
		c.t.rec.Add(timeline.Event{Kind: timeline.Run, Resource: "CronJob " + cj.Namespace + "/" + cj.Name, Status: reason, Message: msg})
	}
}

// scheduleOf parses the CronJob's schedule in its time zone; a problem is
// reported once per schedule and the CronJob starts nothing.
func (c *cronJobs) scheduleOf(cj *batchv1.CronJob) *schedule {
	loc := time.UTC
	if cj.Spec.TimeZone != nil {
		l, err := time.LoadLocation(*cj.Spec.TimeZone)
		if err != nil {
			c.event(cj, *cj.Spec.TimeZone, "UnknownTimeZone", fmt.Sprintf("invalid timeZone: %q: %s", *cj.Spec.TimeZone, err))
			return nil
		}
		loc = l
	}
	sched, err := parseSchedule(cj.Spec.Schedule, loc)
	switch {
	case errors.Is(err, errUnmodelled):
		c.event(cj, cj.Spec.Schedule, "UnmodelledSchedule", fmt.Sprintf("schedule %q: %s; the twin starts no Job for it", cj.Spec.Schedule, err))
		return nil
	case err != nil:
		c.event(cj, cj.Spec.Schedule, "UnparseableSchedule", fmt.Sprintf("unparseable schedule: %q : %s", cj.Spec.Schedule, err))
		return nil
	}
	return sched
}

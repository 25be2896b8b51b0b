package twin

import (
	"context"
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// sync is syncCronJob: it reconciles status with the CronJob's Jobs, then
// starts the Job of the most recent missed start time, if any and allowed.
// It reports whether st changed.
func (c *cronJobs) sync(ctx context.Context, cj *batchv1.CronJob, jobs []*batchv1.Job, st *batchv1.CronJobStatus, created, now time.Time) (bool, error) {
	changed := c.reconcileActive(cj, jobs, st)
	if cj.DeletionTimestamp != nil || (cj.Spec.Suspend != nil && *cj.Spec.Suspend) {
		return changed, nil
	}
	sched := c.scheduleOf(cj)
	if sched == nil {
		return changed, nil
	}
	earliest := created
	if st.LastScheduleTime != nil {
		earliest = st.LastScheduleTime.Time
	}
	if d := cj.Spec.StartingDeadlineSeconds; d != nil {
		if deadline := now.Add(-time.Duration(*d) * time.Second); deadline.After(earliest) {
			earliest = deadline
		}
	}
	if sched.next(earliest).IsZero() {
		c.event(cj, cj.Spec.Schedule, "InvalidSchedule", fmt.Sprintf("invalid schedule: %s : the schedule never fires", cj.Spec.Schedule))
		return changed, nil
	}
	scheduled, tooMany := sched.mostRecent(earliest, now)
	if scheduled.IsZero() {
		return changed, nil
	}
	key := scheduled.UTC().Format(time.RFC3339)
	if tooMany {
		c.event(cj, key, "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew")
	}
	name := fmt.Sprintf("%s-%d", cj.Name, scheduled.Unix()/60)
	if inActive(st, name) || (st.LastScheduleTime != nil && st.LastScheduleTime.Time.Equal(scheduled)) {
		return changed, nil
	}
	if cj.Spec.ConcurrencyPolicy == batchv1.ForbidConcurrent && len(st.Active) > 0 {
		c.event(cj, key, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid")
		return changed, nil
	}
	if cj.Spec.ConcurrencyPolicy == batchv1.ReplaceConcurrent {
		for _, r := range st.Active {
			if err := c.deleteJob(ctx, &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: r.Name, Namespace: r.Namespace}}); err != nil {
				return changed, err
			}
		}
		changed = changed || len(st.Active) > 0
		st.Active = nil
	}
	started, err := c.start(ctx, cj, name, scheduled, st)
	return changed || started, err
}

// reconcileActive drops finished and vanished Jobs from status.active and
// moves lastSuccessfulTime to the latest completion.
func (c *cronJobs) reconcileActive(cj *batchv1.CronJob, jobs []*batchv1.Job, st *batchv1.CronJobStatus) bool {
	changed := false
	present := map[types.UID]bool{}
	for _, j := range jobs {
		present[j.UID] = true
		active := false
		for _, r := range st.Active {
			active = active || r.UID == j.UID
		}
		switch jobFinished(j) {
		case "":
			if !active {
				c.event(cj, string(j.UID), "UnexpectedJob", "Saw a job that the controller did not create or forgot: "+j.Name)
			}
			continue
		case batchv1.JobComplete:
			if t := j.Status.CompletionTime; t != nil && (st.LastSuccessfulTime == nil || t.After(st.LastSuccessfulTime.Time)) {
				st.LastSuccessfulTime = t.DeepCopy()
				changed = true
			}
		}
		changed = removeActive(st, j.UID) || changed
	}
	for _, r := range st.Active {
		if !present[r.UID] {
			c.event(cj, string(r.UID), "MissingJob", "Active job went missing: "+r.Name)
			changed = removeActive(st, r.UID) || changed
		}
	}
	return changed
}

func inActive(st *batchv1.CronJobStatus, name string) bool {
	for _, r := range st.Active {
		if r.Name == name {
			return true
		}
	}
	return false
}

// start creates the Job of one scheduled time (getJobFromTemplate2) and
// adds it to status.active. A Job of that name that the CronJob does not
// control is left alone, as someone else's.
func (c *cronJobs) start(ctx context.Context, cj *batchv1.CronJob, name string, scheduled time.Time, st *batchv1.CronJobStatus) (bool, error) {
	job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{
		Name: name, Namespace: cj.Namespace,
		Labels:          copyStrings(cj.Spec.JobTemplate.Labels),
		Annotations:     copyStrings(cj.Spec.JobTemplate.Annotations),
		OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(cj, batchv1.SchemeGroupVersion.WithKind("CronJob"))},
	}}
	job.Annotations[batchv1.CronJobScheduledTimestampAnnotation] = scheduled.In(c.location(cj)).Format(time.RFC3339)
	cj.Spec.JobTemplate.Spec.DeepCopyInto(&job.Spec)
	made, err := c.t.kube.BatchV1().Jobs(cj.Namespace).Create(ctx, job, metav1.CreateOptions{})
	switch {
	case apierrors.IsAlreadyExists(err):
		if made, err = c.t.kube.BatchV1().Jobs(cj.Namespace).Get(ctx, name, metav1.GetOptions{}); err != nil {
			return false, err
		}
		if !metav1.IsControlledBy(made, cj) {
			return false, nil
		}
	case err != nil:
		c.event(cj, name, "FailedCreate", "Error creating job: "+err.Error())
		return false, err
	default:
		c.event(cj, name, "SuccessfulCreate", "Created job "+name)
	}
	st.Active = append(st.Active, corev1.ObjectReference{APIVersion: "batch/v1", Kind: "Job",
		Namespace: made.Namespace, Name: made.Name, UID: made.UID, ResourceVersion: made.ResourceVersion})
	st.LastScheduleTime = &metav1.Time{Time: scheduled}
	return true, nil
}

func (c *cronJobs) location(cj *batchv1.CronJob) *time.Location {
	if cj.Spec.TimeZone != nil {
		if l, err := time.LoadLocation(*cj.Spec.TimeZone); err == nil {
			return l
		}
	}
	return time.UTC
}

func copyStrings(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// writeStatus applies the CronJob's status: the active Jobs and the last
// schedule and success times.
func (c *cronJobs) writeStatus(ctx context.Context, cj *batchv1.CronJob, st *batchv1.CronJobStatus) error {
	status := map[string]any{}
	var active []any
	for _, r := range st.Active {
		active = append(active, map[string]any{"apiVersion": r.APIVersion, "kind": r.Kind,
			"namespace": r.Namespace, "name": r.Name, "uid": string(r.UID), "resourceVersion": r.ResourceVersion})
	}
	if len(active) > 0 {
		status["active"] = active
	}
	if st.LastScheduleTime != nil {
		status["lastScheduleTime"] = st.LastScheduleTime.UTC().Format(time.RFC3339)
	}
	if st.LastSuccessfulTime != nil {
		status["lastSuccessfulTime"] = st.LastSuccessfulTime.UTC().Format(time.RFC3339)
	}
	obj := object("batch/v1", "CronJob", cj.Namespace, cj.Name)
	obj["status"] = status
	return c.t.applyStatus(ctx, c.name(), gvrCronJob, obj)
}

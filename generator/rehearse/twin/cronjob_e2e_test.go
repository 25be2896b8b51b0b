//go:build e2e

package twin

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// TestACronJobStartsJobsOnItsSchedule runs a CronJob every two modelled
// minutes and follows its Jobs: named after their scheduled minute, with
// the template's labels and annotations and a controller reference,
// reported in status.active, lastScheduleTime and lastSuccessfulTime, and
// only the newest successful one kept; once suspended it starts no more.
func TestACronJobStartsJobsOnItsSchedule(t *testing.T) {
	m := startScriptTwin(t)
	cj := m.createCronJob(t, "pass", "*/2 * * * *", false)
	m.setHistory(t, "pass", 1, 1)
	m.run(t)

	m.waitFor(t, "three Jobs of CronJob pass", func() bool { return m.cronEvents("pass", "SuccessfulCreate") >= 3 })
	jobs := m.cronJobJobs(t, "pass")
	if len(jobs) > 2 {
		t.Errorf("Jobs %v kept, want the newest successful one and at most one running", jobNames(jobs))
	}
	newest := jobs[len(jobs)-1]
	minutes, err := strconv.ParseInt(strings.TrimPrefix(newest.Name, "pass-"), 10, 64)
	if err != nil || minutes%2 != 0 {
		t.Fatalf("Job %s is not named pass-<an even minute since the epoch>", newest.Name)
	}
	scheduled := time.Unix(minutes*60, 0).UTC()
	if ref := metav1.GetControllerOf(&newest); ref == nil || ref.UID != cj.UID || ref.Kind != "CronJob" {
		t.Errorf("Job %s is controlled by %v, want the CronJob", newest.Name, ref)
	}
	if newest.Labels["app.kubernetes.io/name"] != "pass" || newest.Annotations["lowlat.dev/pass"] != "retest" {
		t.Errorf("Job %s lacks the template's labels and annotations: %v %v", newest.Name, newest.Labels, newest.Annotations)
	}
	if got := newest.Annotations[batchv1.CronJobScheduledTimestampAnnotation]; got != scheduled.Format(time.RFC3339) {
		t.Errorf("scheduled-timestamp annotation %q, want %s", got, scheduled.Format(time.RFC3339))
	}

	m.waitFor(t, "the newest Job to complete and the CronJob to report it", func() bool {
		st := m.cronJob(t, "pass").Status
		return st.LastScheduleTime != nil && st.LastSuccessfulTime != nil && len(st.Active) == 0 &&
			st.LastSuccessfulTime.After(st.LastScheduleTime.Time)
	})
	m.suspend(t, "pass")
	time.Sleep(2 * tick) // a tick that listed the CronJob before the patch may still start one
	created := m.cronEvents("pass", "SuccessfulCreate")
	m.waitModelled(5 * time.Minute)
	if now := m.cronEvents("pass", "SuccessfulCreate"); now != created {
		t.Errorf("a suspended CronJob started %d more Jobs", now-created)
	}
	if err := m.Errors(); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrencyPoliciesAndManualJobs checks Forbid (a Job that never
// finishes holds the next ones back), Replace (it is deleted for the
// next), the history limits on Jobs made by `kubectl create job --from`
// and a schedule the twin does not model.
func TestConcurrencyPoliciesAndManualJobs(t *testing.T) {
	m := startScriptTwin(t)
	for _, name := range []string{"forbid", "replace"} {
		m.createCronJob(t, name, "*/2 * * * *", false)
		m.neverFinish(t, name)
	}
	m.setPolicy(t, "replace", batchv1.ReplaceConcurrent)
	m.createCronJob(t, "manual", "*/5 * * * *", true)
	m.setHistory(t, "manual", 1, 1)
	m.createCronJob(t, "monday", "0 9 * * MON", false)
	m.run(t)

	m.waitFor(t, "Forbid to hold a second Job back", func() bool { return m.cronEvents("forbid", "JobAlreadyActive") >= 1 })
	if jobs := m.cronJobJobs(t, "forbid"); len(jobs) != 1 || len(m.cronJob(t, "forbid").Status.Active) != 1 {
		t.Errorf("forbid has Jobs %v, active %v; want one", jobNames(jobs), m.cronJob(t, "forbid").Status.Active)
	}
	m.waitFor(t, "Replace to start a second Job", func() bool { return m.cronEvents("replace", "SuccessfulCreate") >= 2 })
	m.waitFor(t, "Replace to delete the first", func() bool { return len(m.cronJobJobs(t, "replace")) == 1 })
	if active := m.cronJob(t, "replace").Status.Active; len(active) != 1 || active[0].Name != m.cronJobJobs(t, "replace")[0].Name {
		t.Errorf("replace reports active %v", active)
	}

	cj := m.cronJob(t, "manual")
	for i := range 3 {
		job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("manual-%d", i),
			Annotations: map[string]string{"cronjob.kubernetes.io/instantiate": "manual"},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "batch/v1", Kind: "CronJob", Name: cj.Name, UID: cj.UID,
				Controller: ptr.To(true)}}}, Spec: cj.Spec.JobTemplate.Spec}
		if _, err := m.kube.BatchV1().Jobs(scriptNamespace).Create(m.ctx, job, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		m.waitModelled(time.Minute)
	}
	m.waitFor(t, "the history limit to keep the newest manual Job", func() bool {
		jobs := m.cronJobJobs(t, "manual")
		return len(jobs) == 1 && jobs[0].Name == "manual-2" && jobFinished(&jobs[0]) == batchv1.JobComplete
	})
	m.waitFor(t, "lastSuccessfulTime from the manual Jobs", func() bool { return m.cronJob(t, "manual").Status.LastSuccessfulTime != nil })
	if m.cronEvents("manual", "UnexpectedJob") == 0 {
		t.Error("a running Job the CronJob did not start is not reported as unexpected")
	}
	if m.cronEvents("monday", "UnmodelledSchedule") != 1 {
		t.Error("a schedule with a day name is not reported once as not modelled")
	}
	if err := m.Errors(); err != nil {
		t.Fatal(err)
	}
}

func (m *machineTwin) cronJob(t *testing.T, name string) *batchv1.CronJob {
	t.Helper()
	cj, err := m.kube.BatchV1().CronJobs(scriptNamespace).Get(m.ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return cj
}

// cronJobJobs are the Jobs the CronJob controls, oldest first.
func (m *machineTwin) cronJobJobs(t *testing.T, name string) []batchv1.Job {
	t.Helper()
	list, err := m.kube.BatchV1().Jobs(scriptNamespace).List(m.ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out []batchv1.Job
	for _, j := range list.Items {
		if ref := metav1.GetControllerOf(&j); ref != nil && ref.Name == name && j.DeletionTimestamp == nil {
			out = append(out, j)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out
}

func jobNames(jobs []batchv1.Job) []string {
	var out []string
	for _, j := range jobs {
		out = append(out, j.Name)
	}
	return out
}

// cronEvents counts the CronJob's timeline events of one reason.
func (m *machineTwin) cronEvents(name, reason string) int {
	n := 0
	for _, e := range m.rec.Events() {
		if e.Kind == timeline.Run && e.Resource == "CronJob "+scriptNamespace+"/"+name && e.Status == reason {
			n++
		}
	}
	return n
}

func (m *machineTwin) patchCronJob(t *testing.T, name, patch string) {
	t.Helper()
	if _, err := m.kube.BatchV1().CronJobs(scriptNamespace).Patch(m.ctx, name, types.MergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
}

func (m *machineTwin) setHistory(t *testing.T, name string, succeeded, failed int) {
	m.patchCronJob(t, name, fmt.Sprintf(`{"spec":{"successfulJobsHistoryLimit":%d,"failedJobsHistoryLimit":%d}}`, succeeded, failed))
}

func (m *machineTwin) setPolicy(t *testing.T, name string, policy batchv1.ConcurrencyPolicy) {
	m.patchCronJob(t, name, fmt.Sprintf(`{"spec":{"concurrencyPolicy":%q}}`, policy))
}

func (m *machineTwin) suspend(t *testing.T, name string) {
	m.patchCronJob(t, name, `{"spec":{"suspend":true}}`)
}

// neverFinish makes the CronJob's Jobs suspended ones, which the twin's
// Job controller never runs.
func (m *machineTwin) neverFinish(t *testing.T, name string) {
	m.patchCronJob(t, name, `{"spec":{"jobTemplate":{"spec":{"suspend":true}}}}`)
}

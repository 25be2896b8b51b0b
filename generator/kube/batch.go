package kube

// BatchAPIVersion is the apiVersion of Job and CronJob.
const BatchAPIVersion = "batch/v1"

// Job is batch/v1 Job.
type Job struct {
	TypeMeta `json:",inline"`
	Metadata ObjectMeta `json:"metadata"`
	Spec     JobSpec    `json:"spec"`
}

// JobSpec runs one pod, retried up to BackoffLimit times, for at most
// ActiveDeadlineSeconds when set.
type JobSpec struct {
	BackoffLimit          int             `json:"backoffLimit"`
	ActiveDeadlineSeconds *int64          `json:"activeDeadlineSeconds,omitempty"`
	Template              PodTemplateSpec `json:"template"`
}

// CronJob is batch/v1 CronJob.
type CronJob struct {
	TypeMeta `json:",inline"`
	Metadata ObjectMeta  `json:"metadata"`
	Spec     CronJobSpec `json:"spec"`
}

// CronJobSpec starts a Job from JobTemplate on Schedule; a suspended one
// starts none, and serves as a template for `oc create job --from`.
type CronJobSpec struct {
	Schedule                   string          `json:"schedule"`
	Suspend                    bool            `json:"suspend,omitempty"`
	ConcurrencyPolicy          string          `json:"concurrencyPolicy,omitempty"`
	StartingDeadlineSeconds    *int64          `json:"startingDeadlineSeconds,omitempty"`
	SuccessfulJobsHistoryLimit *int32          `json:"successfulJobsHistoryLimit,omitempty"`
	FailedJobsHistoryLimit     *int32          `json:"failedJobsHistoryLimit,omitempty"`
	JobTemplate                JobTemplateSpec `json:"jobTemplate"`
}

// JobTemplateSpec is the Job a CronJob starts.
type JobTemplateSpec struct {
	Metadata TemplateMeta `json:"metadata"`
	Spec     JobSpec      `json:"spec"`
}

package kube

// BatchAPIVersion is the apiVersion of Job.
const BatchAPIVersion = "batch/v1"

// Job is batch/v1 Job.
type Job struct {
	TypeMeta `json:",inline"`
	Metadata ObjectMeta `json:"metadata"`
	Spec     JobSpec    `json:"spec"`
}

// JobSpec runs one pod, retried up to BackoffLimit times.
type JobSpec struct {
	BackoffLimit int             `json:"backoffLimit"`
	Template     PodTemplateSpec `json:"template"`
}

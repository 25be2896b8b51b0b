package kube

// Pod is core v1 Pod.
type Pod struct {
	TypeMeta `json:",inline"`
	Metadata ObjectMeta `json:"metadata"`
	Spec     PodSpec    `json:"spec"`
}

// PodTemplateSpec is core v1 PodTemplateSpec: the pod a Job runs.
type PodTemplateSpec struct {
	Metadata TemplateMeta `json:"metadata"`
	Spec     PodSpec      `json:"spec"`
}

// PodSpec is the part of core v1 PodSpec lowlat sets.
type PodSpec struct {
	RuntimeClassName   string              `json:"runtimeClassName,omitempty"`
	NodeSelector       map[string]string   `json:"nodeSelector,omitempty"`
	Tolerations        []Toleration        `json:"tolerations,omitempty"`
	RestartPolicy      string              `json:"restartPolicy,omitempty"`
	ServiceAccountName string              `json:"serviceAccountName,omitempty"`
	SecurityContext    *PodSecurityContext `json:"securityContext,omitempty"`
	InitContainers     []Container         `json:"initContainers,omitempty"`
	Containers         []Container         `json:"containers"`
	Volumes            []Volume            `json:"volumes,omitempty"`
}

// Toleration is core v1 Toleration.
type Toleration struct {
	Key      string `json:"key,omitempty"`
	Operator string `json:"operator,omitempty"`
	Value    string `json:"value,omitempty"`
	Effect   string `json:"effect,omitempty"`
}

// PodSecurityContext is the pod-level security context.
type PodSecurityContext struct {
	RunAsNonRoot   *bool           `json:"runAsNonRoot,omitempty"`
	SeccompProfile *SeccompProfile `json:"seccompProfile,omitempty"`
}

// SeccompProfile selects a seccomp profile.
type SeccompProfile struct {
	Type string `json:"type"`
}

// Container is core v1 Container.
type Container struct {
	Name            string               `json:"name"`
	Image           string               `json:"image"`
	Command         []string             `json:"command,omitempty"`
	Args            []string             `json:"args,omitempty"`
	WorkingDir      string               `json:"workingDir,omitempty"`
	Env             []EnvVar             `json:"env,omitempty"`
	Resources       ResourceRequirements `json:"resources"`
	SecurityContext *SecurityContext     `json:"securityContext,omitempty"`
	VolumeMounts    []VolumeMount        `json:"volumeMounts,omitempty"`
}

// EnvVar is an environment variable: a literal value, or a field of the
// pod (the downward API).
type EnvVar struct {
	Name      string        `json:"name"`
	Value     string        `json:"value,omitempty"`
	ValueFrom *EnvVarSource `json:"valueFrom,omitempty"`
}

// EnvVarSource reads a variable's value from the pod.
type EnvVarSource struct {
	FieldRef *ObjectFieldSelector `json:"fieldRef,omitempty"`
}

// ObjectFieldSelector names a field of the pod, such as
// metadata.labels['batch.kubernetes.io/job-name'].
type ObjectFieldSelector struct {
	FieldPath string `json:"fieldPath"`
}

// FieldEnv is a variable holding a field of the pod.
func FieldEnv(name, fieldPath string) EnvVar {
	return EnvVar{Name: name, ValueFrom: &EnvVarSource{FieldRef: &ObjectFieldSelector{FieldPath: fieldPath}}}
}

// SecurityContext is the container security context.
type SecurityContext struct {
	Privileged               *bool         `json:"privileged,omitempty"`
	AllowPrivilegeEscalation *bool         `json:"allowPrivilegeEscalation,omitempty"`
	Capabilities             *Capabilities `json:"capabilities,omitempty"`
}

// Capabilities adds and drops Linux capabilities.
type Capabilities struct {
	Drop []string `json:"drop,omitempty"`
}

// VolumeMount mounts a pod volume into a container.
type VolumeMount struct {
	Name      string `json:"name"`
	MountPath string `json:"mountPath"`
}

// Volume is a pod volume: an emptyDir, a PersistentVolumeClaim or a
// ConfigMap.
type Volume struct {
	Name                  string                             `json:"name"`
	EmptyDir              *EmptyDirVolumeSource              `json:"emptyDir,omitempty"`
	PersistentVolumeClaim *PersistentVolumeClaimVolumeSource `json:"persistentVolumeClaim,omitempty"`
	ConfigMap             *ConfigMapVolumeSource             `json:"configMap,omitempty"`
}

// ConfigMapVolumeSource projects a ConfigMap's keys as files.
type ConfigMapVolumeSource struct {
	Name string `json:"name"`
}

// EmptyDirVolumeSource is scratch space; medium HugePages-<size> backs it
// with hugepages.
type EmptyDirVolumeSource struct {
	Medium string `json:"medium,omitempty"`
}

// PersistentVolumeClaimVolumeSource mounts a claim by name.
type PersistentVolumeClaimVolumeSource struct {
	ClaimName string `json:"claimName"`
}

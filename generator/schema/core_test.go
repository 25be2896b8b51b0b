package schema

import "testing"

const baselineJob = `apiVersion: batch/v1
kind: Job
metadata: {name: kube-burner-baseline, namespace: lowlat-perftest}
spec:
  backoffLimit: 0
  template:
    spec:
      serviceAccountName: kube-burner
      restartPolicy: Never
      containers:
      - name: kube-burner
        image: quay.io/kube-burner/kube-burner:v1.17.0
        args: [init, -c, /config/config.yml]
        volumeMounts: [{name: config, mountPath: /config}]
      volumes: [{name: config, configMap: {name: kube-burner-config}}]
`

func TestCoreKinds(t *testing.T) {
	runCases(t, []validationCase{
		{"a kube-burner job is valid", baselineJob, nil},
		{"a job with the default restart policy is rejected", `apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec: {template: {spec: {containers: [{name: c, image: i}]}}}`, []string{"spec.template.spec.restartPolicy: Required value"}},
		{"a container without image and with an unknown field is rejected", `apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, imagePullPolice: Always}]}}}`,
			[]string{"spec.template.spec.containers[0].image: Required value", "spec.template.spec.containers[0].imagePullPolice: Forbidden: unknown field"}},
		{"a cron job is valid", `apiVersion: batch/v1
kind: CronJob
metadata: {name: lowlat-canary, namespace: lowlat-system}
spec:
  schedule: "*/5 * * * *"
  concurrencyPolicy: Forbid
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: i}]}}}}`, nil},
		{"a cron job's schedule, policy, name and job template are checked", `apiVersion: batch/v1
kind: CronJob
metadata: {name: a-cron-job-name-that-is-longer-than-fifty-two-characters}
spec:
  schedule: "*/5 * * *"
  concurrencyPolicy: Never
  jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: i}]}}}}`, []string{
			"metadata.name: Invalid value: \"a-cron-job-name-that-is-longer-than-fifty-two-characters\": must be no more than 52 characters",
			`spec.schedule: Invalid value: "*/5 * * *"`,
			`spec.concurrencyPolicy: Unsupported value: "Never"`,
			"spec.jobTemplate.spec.template.spec.restartPolicy: Required value"}},
		{"a mount of a volume that does not exist is rejected", `apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: c, image: i, volumeMounts: [{name: v, mountPath: /v}]}]}`, []string{`spec.containers[0].volumeMounts[0].name: Not found: "v"`}},
		{"a pod with more CPU requested than its limit is rejected", `apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: c, image: i, resources: {requests: {cpu: "2"}, limits: {cpu: "1"}}}]}`, []string{`spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1`}},
		{"a pod without containers is rejected", `apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {}`, []string{"spec.containers: Required value"}},
		{"a config map is valid", `apiVersion: v1
kind: ConfigMap
metadata: {name: kube-burner-config}
data: {config.yml: "jobs: []"}`, nil},
		{"a config map key with a slash is rejected", `apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data: {a/b: x}`, []string{`data[a/b]: Invalid value: "a/b"`}},
		{"a namespace name must be a DNS label", `apiVersion: v1
kind: Namespace
metadata: {name: lowlat.workloads}`, []string{`metadata.name: Invalid value: "lowlat.workloads"`}},
		{"a namespace may not sit in a namespace", `apiVersion: v1
kind: Namespace
metadata: {name: a, namespace: b}`, []string{"metadata.namespace: Forbidden"}},
		{"a service account is valid", `apiVersion: v1
kind: ServiceAccount
metadata: {name: kube-burner, namespace: lowlat-perftest}`, nil},
		{"a cluster role is valid", `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: kube-burner}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}, {nonResourceURLs: [/metrics], verbs: [get]}]`, nil},
		{"a rule without verbs or resources is rejected", `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: r}
rules: [{apiGroups: [""]}]`, []string{"rules[0].verbs: Required value", "rules[0].resources: Required value"}},
		{"a cluster role binding is valid", `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: kube-burner}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kube-burner}
subjects: [{kind: ServiceAccount, name: kube-burner, namespace: lowlat-perftest}]`, nil},
		{"a binding to a role kind that does not exist and a subject without namespace are rejected", `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects: [{kind: ServiceAccount, name: s}]`, []string{`roleRef.kind: Unsupported value: "Role"`, "subjects[0].namespace: Required value"}},
		{"a role binding in the binding's namespace is valid", `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: n}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects: [{kind: ServiceAccount, name: s}]`, nil},
		{"a kustomization lists its resources", `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [job-a.yaml, ../../base/tuning]`, nil},
		{"a kustomization with an unknown field is rejected", `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resource: [a.yaml]`, []string{"resource: Forbidden: unknown field"}},
	})
}

func TestEveryResourceNeedsItsTypeAndASchema(t *testing.T) {
	runCases(t, []validationCase{
		{"a kind without a schema is an error", `apiVersion: v1
kind: Widget
metadata: {name: w}`, []string{`kind: Invalid value: "Widget": no schema for kind Widget in v1`}},
		{"a custom kind without a schema is an error", `apiVersion: tuned.openshift.io/v1
kind: Tuned
metadata: {name: t}`, []string{"no schema for kind Tuned in tuned.openshift.io/v1"}},
		{"a resource without apiVersion and kind says so", `metadata: {name: x}`, []string{"apiVersion: Required value", "kind: Required value"}},
		{"a resource without metadata says so", `apiVersion: v1
kind: ConfigMap`, []string{"metadata: Required value"}},
		{"a document that is a list is not a resource", `- a
- b`, []string{"case.yaml:1: a resource must be a YAML mapping"}},
		{"a truncated document is not YAML", "apiVersion: v1\nkind: [ConfigMap\n", []string{"case.yaml: not valid YAML"}},
	})
}

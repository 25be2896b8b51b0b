package perfrun

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lowlat/lowlat/generator/gates"
	"github.com/lowlat/lowlat/generator/kube"
)

// The scripts, shipped in ConfigMap ScriptsName of each namespace with runs.
var (
	//go:embed start.sh
	startScript string
	//go:embed publish.sh
	publishScript string
	//go:embed retention.sh
	retentionScript string
)

// Names, labels and annotations of runs and their results.
const (
	ScriptsName = "lowlat-perf-scripts"
	// ResultsDir is where the test writes its results, an emptyDir.
	ResultsDir = "/results"
	scriptsDir = "/scripts"
	// SeriesLabel groups the runs of one test: the series a run is
	// compared within, and retention counts runs in.
	SeriesLabel = "lowlat.dev/run-series"
	// ResultsLabel marks a results ConfigMap with its test kind.
	ResultsLabel = "lowlat.dev/results"
	// StartedAnnotation and VerdictAnnotation are set on a run's Job.
	StartedAnnotation = "lowlat.dev/started"
	VerdictAnnotation = "lowlat.dev/verdict"
	// PhaseLatency is the phase of the latency tests (oslat, cyclictest)
	// that run on a tuned pool with the workloads.
	PhaseLatency = "latency"
	// ResultsSuffix ends the name of a run's results ConfigMap.
	ResultsSuffix = "-results"
	// Label keys of a run's results, set by publish.sh from the run.
	ClusterLabel = "lowlat.dev/cluster"
	PoolLabel    = "lowlat.dev/pool"
	PhaseLabel   = "lowlat.dev/phase"
	TestLabel    = ResultsLabel
	TuningLabel  = "lowlat.dev/tuning"
	RunLabel     = "lowlat.dev/run"
	UUIDLabel    = "lowlat.dev/run-uuid"
	RevisionLbl  = "lowlat.dev/revision"
	hashLength   = 10
	jobNameField = "metadata.labels['batch.kubernetes.io/job-name']"
	// retentionName names the retention CronJob and its account.
	retentionName = "lowlat-perf-retention"
	retentionPass = 240
)

// RetentionInterval is how often the retention pass runs.
const RetentionInterval = 10 * time.Minute

// Name is a run's Job name: series-<hash of inputs>. Inputs are hashed as
// JSON; any change to one names a new run.
func Name(series string, inputs ...any) (string, error) {
	data, err := json.Marshal(inputs)
	if err != nil {
		return "", fmt.Errorf("run %s: hash its inputs: %w", series, err)
	}
	sum := sha256.Sum256(data)
	return series + "-" + hex.EncodeToString(sum[:])[:hashLength], nil
}

// Wait is one condition a run waits for, as `oc wait` arguments.
type Wait struct {
	Name string
	Args []string
}

// Run is one measured run.
type Run struct {
	// Name is the Job's name (Name); Series groups runs of one test.
	Name, Series, Namespace, ServiceAccount string
	// Results labels the run's results: cluster, pool, phase, test, tuning.
	Results map[string]string
	// Waits hold the run until what it measures is in place.
	Waits []Wait
	// Test runs the test; its command is wrapped (Wrap) to record its
	// exit status and output in ResultsDir.
	Test kube.Container
	// GitOpsNamespace and Application name the Application whose synced
	// revision the results carry.
	GitOpsNamespace, Application string
	// Pod carries what the test needs of its pod: node selector,
	// tolerations, runtime class, security context, extra volumes; and
	// PodAnnotations its annotations (CRI-O's, Multus').
	Pod            kube.PodSpec
	PodAnnotations map[string]string
	// Retained puts the run under the retention pass (SeriesLabel on its
	// Job). Runs that something else keeps, such as a canary's re-tests,
	// which their CronJob's history limits keep, are left out.
	Retained bool
	// Guaranteed gives lowlat's own containers requests equal to limits,
	// so that a test that needs exclusive CPUs keeps the Guaranteed QoS
	// class (every container of the pod must have them).
	Guaranteed bool
}

// Job renders the run.
func Job(r Run) kube.Job {
	labels := map[string]string{}
	if phase := r.Results[PhaseLabel]; phase != "" {
		labels[PhaseLabel] = phase
	}
	if r.Retained {
		labels[SeriesLabel] = r.Series
	}
	spec := r.Pod
	spec.RestartPolicy = "Never"
	spec.ServiceAccountName = r.ServiceAccount
	res := r.resources()
	for _, w := range r.Waits {
		spec.InitContainers = append(spec.InitContainers, cli("wait-"+w.Name, res, append([]string{"oc", "wait"}, w.Args...), nil))
	}
	jobName := []kube.EnvVar{kube.FieldEnv("JOB_NAME", jobNameField)}
	start := cli("start", res, []string{"/bin/bash", scriptsDir + "/start.sh", ResultsDir, r.GitOpsNamespace, r.Application}, jobName)
	start.VolumeMounts = []kube.VolumeMount{resultsMount, scriptsMount}
	test := Wrap(r.Test)
	test.VolumeMounts = append(test.VolumeMounts, resultsMount)
	publish := cli("publish", res, append([]string{"/bin/bash", scriptsDir + "/publish.sh", ResultsDir}, labelArgs(r.Results)...), jobName)
	publish.VolumeMounts = []kube.VolumeMount{resultsMount, scriptsMount}
	spec.InitContainers = append(spec.InitContainers, start, test)
	spec.Containers = []kube.Container{publish}
	spec.Volumes = append(spec.Volumes,
		kube.Volume{Name: resultsMount.Name, EmptyDir: &kube.EmptyDirVolumeSource{}},
		kube.Volume{Name: scriptsMount.Name, ConfigMap: &kube.ConfigMapVolumeSource{Name: ScriptsName}})
	return kube.Job{
		TypeMeta: kube.TypeMeta{APIVersion: kube.BatchAPIVersion, Kind: "Job"},
		Metadata: kube.ObjectMeta{Name: r.Name, Namespace: r.Namespace, Labels: kube.Labels(labels)},
		Spec: kube.JobSpec{
			// A failed run is a result; a retry would mix two runs.
			BackoffLimit: 0,
			Template:     kube.PodTemplateSpec{Metadata: kube.TemplateMeta{Labels: labels, Annotations: r.PodAnnotations}, Spec: spec},
		},
	}
}

// Wrap runs a test container's command so that its exit status and output
// land in ResultsDir (exit-code, test.log) and the container itself exits
// 0: publish, which runs after it, passes the status on. The test's image
// must have bash (kube-burner's and cnf-tests' images do).
func Wrap(c kube.Container) kube.Container {
	argv := append(append([]string(nil), c.Command...), c.Args...)
	c.Command = []string{"/bin/bash", "-c",
		`"$@" 2>&1 | tee ` + ResultsDir + `/test.log; echo "${PIPESTATUS[0]}" > ` + ResultsDir + `/exit-code`, "test"}
	c.Args = argv
	return c
}

func labelArgs(m map[string]string) []string {
	var out []string
	for _, k := range sortedKeys(m) {
		out = append(out, k+"="+m[k])
	}
	return out
}

var (
	resultsMount = kube.VolumeMount{Name: "results", MountPath: ResultsDir}
	scriptsMount = kube.VolumeMount{Name: "scripts", MountPath: scriptsDir}
)

// resources of lowlat's own containers in a run's pod.
func (r Run) resources() kube.ResourceRequirements {
	if r.Guaranteed {
		q := map[string]string{"cpu": "100m", "memory": "128Mi"}
		return kube.ResourceRequirements{Requests: q, Limits: copyMap(q)}
	}
	return kube.ResourceRequirements{
		Requests: map[string]string{"cpu": "10m", "memory": "64Mi"},
		Limits:   map[string]string{"memory": "256Mi"},
	}
}

// cli is a container of OpenShift's cli image, as the gates use.
func cli(name string, res kube.ResourceRequirements, command []string, env []kube.EnvVar) kube.Container {
	no := false
	return kube.Container{
		Name: name, Image: cliImage(), Command: command, Env: env,
		Resources:       kube.ResourceRequirements{Requests: copyMap(res.Requests), Limits: copyMap(res.Limits)},
		SecurityContext: &kube.SecurityContext{AllowPrivilegeEscalation: &no, Capabilities: &kube.Capabilities{Drop: []string{"ALL"}}},
	}
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func cliImage() string { return gates.Image }

func itoa(n int) string { return fmt.Sprint(n) }

// schedule writes an interval of whole minutes as a cron schedule.
func schedule(d time.Duration) string { return fmt.Sprintf("*/%d * * * *", int(d/time.Minute)) }

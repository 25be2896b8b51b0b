package perftest

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/tuning"
)

// Phases of the Test → Change → Re-test.
const (
	PhaseBaseline = "baseline"
	PhaseRetest   = "retest"
)

// Job names; the results (<measurement>QuantilesMeasurement-<job>.json) are
// named after them.
const (
	JobPodDensity       = "pod-density"
	JobVMILatency       = "vmi-latency"
	JobCanaryPodDensity = "canary-pod-density"
)

// Keys of the ConfigMap: kube-burner writes each into its working directory
// and reads config.yml; the jobs name their object templates by key.
const (
	ConfigKey          = "config.yml"
	PodTemplateKey     = "pod-density-pod.yml"
	VMTemplateKey      = "vmi-latency-vm.yml"
	ResultsMount       = "/results"
	podWaitTimeout     = "10m"
	vmWaitTimeout      = "30m"
	apiQPS, apiBurst   = 20, 20
	templateNameSuffix = "-{{.Iteration}}-{{.Replica}}"
)

// config is the part of kube-burner's config lowlat writes; the tests check
// it against the full schema (internal/kbconfig.ParseConfig).
type config struct {
	MetricsEndpoints []metricsEndpoint `yaml:"metricsEndpoints"`
	Global           global            `yaml:"global"`
	Jobs             []job             `yaml:"jobs"`
}

type metricsEndpoint struct {
	Indexer indexer `yaml:"indexer"`
}

type indexer struct {
	Type             string `yaml:"type"`
	MetricsDirectory string `yaml:"metricsDirectory"`
}

type global struct {
	GC bool `yaml:"gc"`
}

// job sets every behaviour explicitly rather than rely on kube-burner's
// defaults, so a reviewer reads what runs.
type job struct {
	Name                 string            `yaml:"name"`
	JobType              string            `yaml:"jobType"`
	JobIterations        int               `yaml:"jobIterations"`
	Namespace            string            `yaml:"namespace"`
	NamespacedIterations bool              `yaml:"namespacedIterations"`
	Cleanup              bool              `yaml:"cleanup"`
	GC                   bool              `yaml:"gc"`
	PodWait              bool              `yaml:"podWait"`
	WaitWhenFinished     bool              `yaml:"waitWhenFinished"`
	MaxWaitTimeout       string            `yaml:"maxWaitTimeout"`
	VerifyObjects        bool              `yaml:"verifyObjects"`
	ErrorOnVerify        bool              `yaml:"errorOnVerify"`
	PreLoadImages        bool              `yaml:"preLoadImages"`
	PreLoadNodeLabels    map[string]string `yaml:"preLoadNodeLabels"`
	QPS                  int               `yaml:"qps"`
	Burst                int               `yaml:"burst"`
	Measurements         []measurement     `yaml:"measurements"`
	Objects              []object          `yaml:"objects"`
}

type measurement struct {
	Name       string      `yaml:"name"`
	Thresholds []threshold `yaml:"thresholds,omitempty"`
}

type threshold struct {
	ConditionType string `yaml:"conditionType"`
	Metric        string `yaml:"metric"`
	Threshold     string `yaml:"threshold"`
}

type object struct {
	ObjectTemplate string `yaml:"objectTemplate"`
	Replicas       int    `yaml:"replicas"`
	Wait           bool   `yaml:"wait"`
}

// configFor writes a phase's kube-burner config. Both phases run the same
// pod-density job; the vmi-latency job runs in the re-test only, because its
// VMs use the profile's hugepages and runtime class, which do not exist
// before the change. Results go to /results/<phase>/<run uuid>; kube-burner
// fills in {{.UUID}} when it renders the config.
func configFor(c *inventory.Cluster, phase string) ([]byte, error) {
	pt := c.PerfTests
	cfg := newConfig(phase)
	np := c.Pool(pt.NodePool)
	if np == nil {
		return nil, fmt.Errorf("perf tests: no node pool %q in cluster %s", pt.NodePool, c.Name)
	}
	if pt.PodDensity > 0 {
		j := baseJob(pt, JobPodDensity, pt.PodDensity, tuning.NodeSelector(np), podWaitTimeout, PodTemplateKey)
		j.Measurements = []measurement{measurementFor(inventory.MeasurementPodLatency, pt.Thresholds)}
		cfg.Jobs = append(cfg.Jobs, j)
	}
	if pt.VMILatency > 0 && phase == PhaseRetest {
		j := baseJob(pt, JobVMILatency, pt.VMILatency, tuning.NodeSelector(np), vmWaitTimeout, VMTemplateKey)
		j.Measurements = []measurement{measurementFor(inventory.MeasurementVMILatency, pt.Thresholds)}
		cfg.Jobs = append(cfg.Jobs, j)
	}
	return encodeConfig(cfg, phase+" run")
}

// canaryConfig writes the re-test of a pool's canary node: the pod-density
// job with the pods one node of the perf tests' pool gets (podDensity over
// its replicas, rounded up), on the canary node only, judged by the pod
// latency thresholds. Results go to /results/canary-<role>/<run uuid>.
func canaryConfig(c *inventory.Cluster, np *inventory.NodePool) ([]byte, error) {
	pt := c.PerfTests
	perfPool := c.Pool(pt.NodePool)
	if perfPool == nil {
		return nil, fmt.Errorf("perf tests: no node pool %q in cluster %s", pt.NodePool, c.Name)
	}
	perNode := (pt.PodDensity + perfPool.Replicas - 1) / perfPool.Replicas
	j := baseJob(pt, JobCanaryPodDensity, perNode, tuning.CanarySelector(np), podWaitTimeout, PodTemplateKey)
	j.Namespace = pt.Namespace + "-" + JobCanaryPodDensity
	j.Measurements = []measurement{measurementFor(inventory.MeasurementPodLatency, pt.Thresholds)}
	cfg := newConfig(CanaryPhase(np))
	cfg.Jobs = []job{j}
	return encodeConfig(cfg, "canary re-test of pool "+np.Name)
}

// newConfig is a config without jobs whose local indexer writes a run's
// results to /results/<dir>/<run uuid>; kube-burner fills in {{.UUID}}.
func newConfig(dir string) config {
	return config{
		MetricsEndpoints: []metricsEndpoint{{Indexer: indexer{Type: "local", MetricsDirectory: ResultsMount + "/" + dir + "/{{.UUID}}"}}},
		Global:           global{GC: true},
	}
}

// encodeConfig writes cfg under a header naming the run.
func encodeConfig(cfg config, run string) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString(fmt.Sprintf("# kube-burner %s config, %s (rendered by lowlat).\n", KubeBurnerVersion, run))
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(cfg); err != nil {
		return nil, err
	}
	return out.Bytes(), enc.Close()
}

// baseJob creates iterations objects, one per iteration, in one namespace
// that kube-burner creates, cleans up first and deletes afterwards. Images
// are pulled onto the pool's nodes before the job starts, so that the
// baseline and the re-test time the same thing whether or not a node has
// the image yet.
func baseJob(pt *inventory.PerfTests, name string, iterations int, nodes map[string]string, wait, template string) job {
	return job{
		Name: name, JobType: "create", JobIterations: iterations,
		Namespace: pt.Namespace + "-" + name, NamespacedIterations: false,
		Cleanup: true, GC: true, PodWait: false, WaitWhenFinished: true, MaxWaitTimeout: wait,
		VerifyObjects: true, ErrorOnVerify: true,
		PreLoadImages: true, PreLoadNodeLabels: nodes,
		QPS: apiQPS, Burst: apiBurst,
		Objects: []object{{ObjectTemplate: template, Replicas: 1, Wait: true}},
	}
}

func measurementFor(name string, ths []inventory.Threshold) measurement {
	m := measurement{Name: name}
	for _, th := range ths {
		if th.Measurement == name {
			m.Thresholds = append(m.Thresholds, threshold{ConditionType: th.ConditionType, Metric: th.Metric, Threshold: th.Threshold})
		}
	}
	return m
}

// Package kbconfig mirrors kube-burner v2.7.3's config schema, field for
// field, so that tests can read the configs lowlat renders the way
// kube-burner would: decoded strictly, with kube-burner's own checks. Only
// tests use it; the renderer writes its configs from its own types.
package kbconfig

import (
	"bytes"
	"fmt"
	"regexp"
	"text/template"
	"time"

	"go.yaml.in/yaml/v3"
)

// The types below mirror kube-burner v2.7.3's config schema field for field,
// with its yaml tags: pkg/config/types.go (Spec, MetricsEndpoint,
// GlobalConfig, Job, Object and their parts), go-commons v2.3.2
// indexers.IndexerConfig, and pkg/measurements/types (Measurement,
// LatencyThreshold, PProftarget). Fields kube-burner sets at runtime (yaml
// "-") are left out. Untagged fields take yaml.v3's default key, the
// lower-cased field name, as upstream's do.

// Spec is kube-burner's config.Spec.
type Spec struct {
	MetricsEndpoints []MetricsEndpoint `yaml:"metricsEndpoints"`
	GlobalConfig     GlobalConfig      `yaml:"global"`
	Jobs             []Job             `yaml:"jobs"`
}

// MetricsEndpoint is config.MetricsEndpoint.
type MetricsEndpoint struct {
	IndexerConfig IndexerConfig `yaml:"indexer"`
	Metrics       []string      `yaml:"metrics"`
	Alerts        []string      `yaml:"alerts"`
	Endpoint      string        `yaml:"endpoint"`
	Step          time.Duration `yaml:"step"`
	SkipTLSVerify bool          `yaml:"skipTLSVerify"`
	Token         string        `yaml:"token"`
	Username      string        `yaml:"username"`
	Password      string        `yaml:"password"`
	Alias         string        `yaml:"alias"`
}

// IndexerConfig is go-commons indexers.IndexerConfig.
type IndexerConfig struct {
	Type               string   `yaml:"type"`
	Servers            []string `yaml:"esServers"`
	Index              string   `yaml:"defaultIndex"`
	InsecureSkipVerify bool     `yaml:"insecureSkipVerify"`
	MetricsDirectory   string   `yaml:"metricsDirectory"`
	CreateTarball      bool     `yaml:"createTarball"`
	TarballName        string   `yaml:"tarballName"`
}

// GlobalConfig is config.GlobalConfig.
type GlobalConfig struct {
	UUID              string
	RUNID             string
	Measurements      []Measurement `yaml:"measurements"`
	RequestTimeout    time.Duration `yaml:"requestTimeout"`
	GC                bool          `yaml:"gc"`
	WaitWhenFinished  bool          `yaml:"waitWhenFinished"`
	GCMetrics         bool          `yaml:"gcMetrics"`
	ClusterHealth     bool          `yaml:"clusterHealth"`
	Timeout           time.Duration `yaml:"timeout"`
	FunctionTemplates []string      `yaml:"functionTemplates"`
	DeletionStrategy  string        `yaml:"deletionStrategy"`
}

// ObjectGroup is config.ObjectGroup.
type ObjectGroup struct {
	ID            int           `yaml:"id"`
	GC            bool          `yaml:"gc"`
	PauseBeforeGC time.Duration `yaml:"pauseBeforeGC"`
	PauseAfterGC  time.Duration `yaml:"pauseAfterGC"`
}

// Object is config.Object.
type Object struct {
	ObjectTemplate         string            `yaml:"objectTemplate"`
	Replicas               int               `yaml:"replicas"`
	InputVars              map[string]any    `yaml:"inputVars"`
	Kind                   string            `yaml:"kind"`
	PatchType              string            `yaml:"patchType"`
	APIVersion             string            `yaml:"apiVersion"`
	LabelSelector          map[string]string `yaml:"labelSelector"`
	Wait                   bool              `yaml:"wait"`
	WaitOptions            WaitOptions       `yaml:"waitOptions"`
	RunOnce                bool              `yaml:"runOnce"`
	KubeVirtOp             string            `yaml:"kubeVirtOp"`
	Churn                  bool              `yaml:"churn"`
	Group                  ObjectGroup       `yaml:"group"`
	RepeatEveryNIterations int               `yaml:"repeatEveryNIterations"`
}

// UnmarshalYAML applies kube-burner's object defaults.
func (o *Object) UnmarshalYAML(unmarshal func(any) error) error {
	type raw Object
	obj := raw{Wait: true, Churn: true, Replicas: 1, RepeatEveryNIterations: 1}
	if err := unmarshal(&obj); err != nil {
		return err
	}
	*o = Object(obj)
	return nil
}

// Job is config.Job.
type Job struct {
	JobIterations              int               `yaml:"jobIterations"`
	JobIterationDelay          time.Duration     `yaml:"jobIterationDelay"`
	JobPause                   time.Duration     `yaml:"jobPause"`
	Name                       string            `yaml:"name"`
	Objects                    []Object          `yaml:"objects"`
	Watchers                   []Watcher         `yaml:"watchers"`
	JobType                    string            `yaml:"jobType"`
	QPS                        float32           `yaml:"qps"`
	Burst                      int               `yaml:"burst"`
	Namespace                  string            `yaml:"namespace"`
	MaxWaitTimeout             time.Duration     `yaml:"maxWaitTimeout"`
	WaitForDeletion            bool              `yaml:"waitForDeletion"`
	PodWait                    bool              `yaml:"podWait"`
	WaitWhenFinished           bool              `yaml:"waitWhenFinished"`
	Cleanup                    bool              `yaml:"cleanup"`
	NamespacedIterations       bool              `yaml:"namespacedIterations"`
	PreCreateNamespaces        bool              `yaml:"preCreateNamespaces"`
	IterationsPerNamespace     int               `yaml:"iterationsPerNamespace"`
	VerifyObjects              bool              `yaml:"verifyObjects"`
	ErrorOnVerify              bool              `yaml:"errorOnVerify"`
	PreLoadImages              bool              `yaml:"preLoadImages"`
	PreLoadPeriod              time.Duration     `yaml:"preLoadPeriod"`
	PreLoadNodeLabels          map[string]string `yaml:"preLoadNodeLabels"`
	NamespaceLabels            map[string]string `yaml:"namespaceLabels"`
	NamespaceAnnotations       map[string]string `yaml:"namespaceAnnotations"`
	ChurnConfig                ChurnConfig       `yaml:"churnConfig"`
	SkipIndexing               bool              `yaml:"skipIndexing"`
	DefaultMissingKeysWithZero bool              `yaml:"defaultMissingKeysWithZero"`
	ExecutionMode              string            `yaml:"executionMode"`
	ObjectDelay                time.Duration     `yaml:"objectDelay"`
	ObjectWait                 bool              `yaml:"objectWait"`
	MetricsAggregate           bool              `yaml:"metricsAggregate"`
	MetricsClosing             string            `yaml:"metricsClosing"`
	GC                         bool              `yaml:"gc"`
	Measurements               []Measurement     `yaml:"measurements"`
	IncrementalLoad            *IncrementalLoad  `yaml:"incrementalLoad"`
	Hooks                      []Hook            `yaml:"hooks"`
}

// UnmarshalYAML applies kube-burner's job defaults.
func (j *Job) UnmarshalYAML(unmarshal func(any) error) error {
	type raw Job
	job := raw{
		Cleanup: true, NamespacedIterations: true, IterationsPerNamespace: 1, JobIterations: 1,
		WaitWhenFinished: true, VerifyObjects: true, ErrorOnVerify: true, JobType: "create",
		WaitForDeletion: true, PreLoadImages: true, PreLoadPeriod: 10 * time.Minute,
		MetricsClosing: "afterJobPause", Measurements: []Measurement{},
	}
	if err := unmarshal(&job); err != nil {
		return err
	}
	*j = Job(job)
	return nil
}

// Hook is config.Hook.
type Hook struct {
	Cmd        []string `yaml:"cmd"`
	When       string   `yaml:"when"`
	Background bool     `yaml:"background"`
}

// WaitOptions is config.WaitOptions.
type WaitOptions struct {
	APIVersion        string            `yaml:"apiVersion"`
	Kind              string            `yaml:"kind"`
	LabelSelector     map[string]string `yaml:"labelSelector"`
	CustomStatusPaths []StatusPath      `yaml:"customStatusPaths"`
}

// StatusPath is config.StatusPath.
type StatusPath struct {
	Key   string `yaml:"key"`
	Value string `yaml:"value"`
}

// IncrementalLoad is config.IncrementalLoad.
type IncrementalLoad struct {
	StartIterations   int           `yaml:"startIterations"`
	TotalIterations   int           `yaml:"totalIterations"`
	StepDelay         time.Duration `yaml:"stepDelay"`
	Pattern           LoadPattern   `yaml:"pattern"`
	HealthCheckScript string        `yaml:"healthCheckScript"`
}

// LoadPattern is config.LoadPattern.
type LoadPattern struct {
	Type   string `yaml:"type"`
	Linear *struct {
		MinSteps int `yaml:"minSteps"`
		StepSize int `yaml:"stepSize"`
	} `yaml:"linear,omitempty"`
	Exponential *struct {
		Base        float64 `yaml:"base"`
		MaxIncrease int     `yaml:"maxIncrease"`
		WarmupSteps int     `yaml:"warmupSteps"`
	} `yaml:"exponential,omitempty"`
}

// Watcher is config.Watcher.
type Watcher struct {
	Kind          string            `yaml:"kind"`
	APIVersion    string            `yaml:"apiVersion"`
	LabelSelector map[string]string `yaml:"labelSelector"`
	Replicas      int               `yaml:"replicas"`
}

// ChurnConfig is config.ChurnConfig.
type ChurnConfig struct {
	Cycles      int           `yaml:"cycles"`
	Percent     int           `yaml:"percent"`
	Duration    time.Duration `yaml:"duration"`
	Delay       time.Duration `yaml:"delay"`
	DeleteDelay time.Duration `yaml:"deleteDelay"`
	Mode        string        `yaml:"mode"`
}

// Measurement is measurements/types.Measurement.
type Measurement struct {
	Name              string             `yaml:"name"`
	LatencyThresholds []LatencyThreshold `yaml:"thresholds"`
	PProfTargets      []PProfTarget      `yaml:"pprofTargets"`
	PProfInterval     time.Duration      `yaml:"pprofInterval"`
	PProfDirectory    string             `yaml:"pprofDirectory"`
	NodeAffinity      map[string]string  `yaml:"nodeAffinity"`
	ServiceTimeout    time.Duration      `yaml:"svcTimeout"`
	QuantilesIndexer  string             `yaml:"quantilesIndexer"`
	TimeseriesIndexer string             `yaml:"timeseriesIndexer"`
}

// LatencyThreshold is measurements/types.LatencyThreshold.
type LatencyThreshold struct {
	ConditionType string        `yaml:"conditionType"`
	Metric        string        `yaml:"metric"`
	Threshold     time.Duration `yaml:"threshold"`
}

// PProfTarget is measurements/types.PProftarget.
type PProfTarget struct {
	Name           string            `yaml:"name"`
	Namespace      string            `yaml:"namespace"`
	LabelSelector  map[string]string `yaml:"labelSelector"`
	BearerToken    string            `yaml:"bearerToken"`
	URL            string            `yaml:"url"`
	CertFile       string            `yaml:"certFile"`
	KeyFile        string            `yaml:"keyFile"`
	Cert           string            `yaml:"cert"`
	Key            string            `yaml:"key"`
	UnixSocketPath string            `yaml:"unixSocketPath"`
}

// ParseConfig reads a config.yml the way kube-burner v2.7.3's
// config.ParseWithUserdata does: render it as a Go template over vars (the
// environment, plus UUID) with missing keys as errors, decode the result
// with yaml.v3 rejecting unknown fields, then check it as kube-burner does
// before it runs a job.
func ParseConfig(config []byte, vars map[string]string) (Spec, error) {
	rendered, err := renderTemplate("config.yml", config, vars)
	if err != nil {
		return Spec{}, err
	}
	var spec Spec
	dec := yaml.NewDecoder(bytes.NewReader(rendered))
	dec.KnownFields(true)
	if err := dec.Decode(&spec); err != nil {
		return Spec{}, fmt.Errorf("config.yml: %w", err)
	}
	return spec, checkSpec(&spec)
}

func renderTemplate(name string, text []byte, data any) ([]byte, error) {
	t, err := template.New(name).Option("missingkey=error").Parse(string(text))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var out bytes.Buffer
	if err := t.Execute(&out, data); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out.Bytes(), nil
}

// RenderObjectTemplate renders an object template as kube-burner does for
// one replica: JobName, Iteration, UUID, RunID and Replica are set, and a
// missing key is an error.
func RenderObjectTemplate(name string, text []byte, job string, iteration, replica int) ([]byte, error) {
	data := map[string]any{"JobName": job, "Iteration": iteration, "UUID": "uuid", "RunID": "runid", "Replica": replica}
	return renderTemplate(name, text, data)
}

var dns1123Subdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// Thresholds kube-burner v2.7.3 accepts, by measurement
// (pkg/measurements: supportedPodConditions, supportedVMIConditions,
// supportedLatencyMetricsMap).
var (
	kbConditions = map[string]map[string]bool{
		"podLatency": {"ContainersReady": true, "Initialized": true, "Ready": true, "PodScheduled": true},
		"vmiLatency": {"VMIPending": true, "VMIScheduling": true, "VMIScheduled": true, "VMIRunning": true},
	}
	kbMetrics        = map[string]bool{"P99": true, "P95": true, "P50": true, "Avg": true, "Max": true}
	kbMetricsClosing = map[string]bool{"afterJobPause": true, "afterMeasurements": true, "afterJob": true}
)

// checkSpec applies the checks kube-burner makes after decoding and when it
// sets up measurements.
func checkSpec(s *Spec) error {
	seen := map[string]bool{}
	for _, j := range s.Jobs {
		switch {
		case seen[j.Name]:
			return fmt.Errorf("job names must be unique: %s", j.Name)
		case !dns1123Subdomain.MatchString(j.Name):
			return fmt.Errorf("job %s: name is not a DNS-1123 subdomain", j.Name)
		case j.JobType == "create" && j.Namespace != "" && !dns1123Subdomain.MatchString(j.Namespace):
			return fmt.Errorf("job %s: namespace %s is not a DNS-1123 subdomain", j.Name, j.Namespace)
		case j.GC && s.GlobalConfig.WaitWhenFinished:
			return fmt.Errorf("job %s: gc and global waitWhenFinished cannot both be on", j.Name)
		case j.JobIterations < 1 && j.JobType == "create":
			return fmt.Errorf("job %s has < 1 iterations", j.Name)
		case !kbMetricsClosing[j.MetricsClosing]:
			return fmt.Errorf("job %s: invalid metricsClosing %s", j.Name, j.MetricsClosing)
		}
		seen[j.Name] = true
		if err := checkMeasurements(j.Name, append(j.Measurements, s.GlobalConfig.Measurements...)); err != nil {
			return err
		}
	}
	return nil
}

func checkMeasurements(job string, ms []Measurement) error {
	for _, m := range ms {
		conds, known := kbConditions[m.Name]
		for _, th := range m.LatencyThresholds {
			if !known || !conds[th.ConditionType] {
				return fmt.Errorf("job %s: measurement %s: unsupported condition type %s", job, m.Name, th.ConditionType)
			}
			if !kbMetrics[th.Metric] {
				return fmt.Errorf("job %s: measurement %s: unsupported metric %s", job, m.Name, th.Metric)
			}
		}
	}
	return nil
}

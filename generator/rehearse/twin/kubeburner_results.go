package twin

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// kubeBurnerConfig is what the twin reads of a kube-burner config: where
// the local indexer writes, and each job's measurements and thresholds.
type kubeBurnerConfig struct {
	MetricsEndpoints []struct {
		Indexer struct {
			MetricsDirectory string `yaml:"metricsDirectory"`
		} `yaml:"indexer"`
	} `yaml:"metricsEndpoints"`
	Jobs []struct {
		Name         string `yaml:"name"`
		Measurements []struct {
			Name       string `yaml:"name"`
			Thresholds []struct {
				ConditionType string `yaml:"conditionType"`
				Metric        string `yaml:"metric"`
				Threshold     string `yaml:"threshold"`
			} `yaml:"thresholds"`
		} `yaml:"measurements"`
	} `yaml:"jobs"`
}

// latencyConditions are the quantiles kube-burner v2.7.3 writes per
// measurement (pkg/measurements pod_latency.go, vmi_latency.go), with the
// twin's modelled P99 in milliseconds: well inside lowlat's example
// thresholds.
var latencyConditions = map[string][]struct {
	name string
	p99  int64
}{
	"podLatency": {{"PodScheduled", 12}, {"Initialized", 310}, {"ContainersReady", 1620}, {"Ready", 1650}},
	"vmiLatency": {{"VMIPending", 40}, {"VMIScheduling", 180}, {"VMIScheduled", 2100}, {"VMIRunning", 21000}},
}

// kubeBurnerWrapped finishes a kube-burner container whose command is a
// shell wrapper around kube-burner (package perfrun Wrap): the twin writes
// the files kube-burner's local indexer would (a quantile document per
// condition of each measurement, and jobSummary.json) under the config's
// metricsDirectory, then runs the wrapper for real with a kube-burner on
// its PATH that prints kube-burner's log and exits as kube-burner would.
// A run named in the fail-job fault breaks its first threshold: the
// quantile is over it, the log says so as kube-burner does
// (pkg/measurements/util CheckThreshold: "P99 Ready latency (12000ms)
// higher than configured threshold: 10s"), and kube-burner exits 1.
func (p *process) kubeBurnerWrapped(ctx context.Context, c *corev1.Container, cmName, cmNamespace string) (int, string, bool) {
	cm, err := p.t.kube.CoreV1().ConfigMaps(cmNamespace).Get(ctx, cmName, metav1.GetOptions{})
	if err != nil {
		return 1, err.Error(), true
	}
	var cfg kubeBurnerConfig
	if err := yaml.Unmarshal([]byte(cm.Data["config.yml"]), &cfg); err != nil {
		return 1, "config.yml: " + err.Error(), true
	}
	dir, err := os.MkdirTemp(p.t.scratch(), "kube-burner-")
	if err != nil {
		return 1, err.Error(), true
	}
	defer os.RemoveAll(dir)
	mounts, err := p.mountConfigMaps(ctx, c, filepath.Join(dir, "volumes"))
	if err != nil {
		return 1, err.Error(), true
	}
	uuid := runUUID(p.pod)
	breach := p.t.spec.Faults.failJob(p.namespace, p.job)
	log, exit := []string{fmt.Sprintf(`time="%s" level=info msg="🔥 Starting kube-burner (twin) with UUID %s"`, p.t.clock.Now().UTC().Format(time.RFC3339), uuid)}, 0
	if len(cfg.MetricsEndpoints) > 0 {
		metrics := strings.ReplaceAll(cfg.MetricsEndpoints[0].Indexer.MetricsDirectory, "{{.UUID}}", uuid)
		out := rewriteWord(metrics, mounts)
		if out == metrics {
			return 1, "metricsDirectory " + metrics + " is on no volume the twin keeps", true
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			return 1, err.Error(), true
		}
		var lines []string
		lines, breached, err := p.writeQuantiles(out, uuid, &cfg, breach)
		if err != nil {
			return 1, err.Error(), true
		}
		log = append(log, lines...)
		if breached {
			exit = 1
		}
	}
	stub := filepath.Join(dir, "bin")
	if err := os.MkdirAll(stub, 0o755); err != nil {
		return 1, err.Error(), true
	}
	body := "#!/bin/sh\ncat <<'LOG'\n" + strings.Join(log, "\n") + "\nLOG\n" + fmt.Sprintf("exit %d\n", exit)
	if err := os.WriteFile(filepath.Join(stub, "kube-burner"), []byte(body), 0o755); err != nil {
		return 1, err.Error(), true
	}
	p.extraPath = stub
	defer func() { p.extraPath = "" }()
	var state any
	return p.script(ctx, c, &state)
}

// writeQuantiles writes the quantile documents and the job summary of
// every job into dir, and returns the log lines of thresholds broken.
func (p *process) writeQuantiles(dir, uuid string, cfg *kubeBurnerConfig, breach bool) ([]string, bool, error) {
	now := p.t.clock.Now().UTC()
	var log []string
	breached := false
	var summary []map[string]any
	for _, job := range cfg.Jobs {
		summary = append(summary, map[string]any{"timestamp": now, "endTimestamp": now, "elapsedTime": p.t.spec.Durations.PerfRun.Seconds(),
			"uuid": uuid, "metricName": "jobSummary", "jobConfig": map[string]any{"name": job.Name}, "version": "2.7.3@twin", "passed": !breach})
		for _, m := range job.Measurements {
			var docs []map[string]any
			for _, cond := range latencyConditions[m.Name] {
				p99 := cond.p99
				if breach && !breached {
					for _, th := range m.Thresholds {
						if th.ConditionType != cond.name {
							continue
						}
						limit, err := time.ParseDuration(th.Threshold)
						if err != nil {
							return nil, false, err
						}
						p99 = limit.Milliseconds()*6/5 + 1
						breached = true
						log = append(log, fmt.Sprintf(`time="%s" level=error msg="%s %s latency (%dms) higher than configured threshold: %s"`, now.Format(time.RFC3339), th.Metric, cond.name, p99, th.Threshold))
						break
					}
				}
				docs = append(docs, map[string]any{"quantileName": cond.name, "uuid": uuid, "P99": p99, "P95": p99 * 9 / 10, "P50": p99 / 2,
					"min": p99 / 4, "max": p99 + p99/10, "avg": p99 / 2, "timestamp": now, "metricName": m.Name + "QuantilesMeasurement", "jobName": job.Name})
			}
			if err := writeJSON(filepath.Join(dir, m.Name+"QuantilesMeasurement-"+job.Name+".json"), docs); err != nil {
				return nil, false, err
			}
		}
	}
	if err := writeJSON(filepath.Join(dir, "jobSummary.json"), summary); err != nil {
		return nil, false, err
	}
	if breached {
		p.t.rec.Add(timeline.Event{Kind: timeline.Fault, Resource: p.ref(), Status: "Breached", Message: "fault: kube-burner breaks its first threshold"})
	}
	return log, breached, nil
}

func writeJSON(path string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// runUUID is a run's uuid, version 4 in form, from its pod's name.
func runUUID(pod string) string {
	s := sha256.Sum256([]byte(pod))
	s[6] = s[6]&0x0f | 0x40
	s[8] = s[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
}

package compare

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lowlat/lowlat/generator/results/kubeburner"
)

// maxThresholdsBytes bounds a thresholds file; real ones are a few lines.
const maxThresholdsBytes = 1 << 20

// LoadThresholds reads a thresholds file: a YAML list whose entries are
// kube-burner latency thresholds ({conditionType, metric, threshold}) plus
// the measurement they belong to, an optional job, and an optional relative
// limit:
//
//   - measurement: podLatency      # or metricName: podLatencyQuantilesMeasurement
//     job: pod-density             # optional; default every job
//     conditionType: Ready         # or quantileName: Ready
//     metric: P99                  # P99, P95, P50, Avg or Max
//     threshold: 5s                # re-test must not exceed it
//     maxIncrease: 10%             # nor rise more than this over the baseline
//
// Every problem in the file is reported, each with its line.
func LoadThresholds(path string) ([]Threshold, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read thresholds: %w", err)
	}
	if len(data) > maxThresholdsBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes; a thresholds file is a short YAML list", path, maxThresholdsBytes)
	}
	return ParseThresholds(data, path)
}

// ParseThresholds is LoadThresholds for a file already in memory; name
// labels problems.
func ParseThresholds(data []byte, name string) ([]Threshold, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	list := doc.Content[0]
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: must be a list of thresholds", name, list.Line)
	}
	var out []Threshold
	var errs []error
	for i, item := range list.Content {
		e := &entry{file: name, index: i, line: item.Line, fields: map[string]string{}, lines: map[string]int{}}
		t := e.parse(item)
		out = append(out, t)
		errs = append(errs, e.errs...)
	}
	return out, errors.Join(errs...)
}

// entry is one item of a thresholds file while it is read; problems
// accumulate in errs so a user sees all of them at once.
type entry struct {
	file        string
	index, line int
	fields      map[string]string
	lines       map[string]int
	errs        []error
}

var entryKeys = map[string]bool{
	"measurement": true, "metricName": true, "job": true, "conditionType": true,
	"quantileName": true, "metric": true, "threshold": true, "maxIncrease": true,
}

// problem records a problem with field (the whole entry when empty), located
// at the field's line when it has one.
func (e *entry) problem(field, format string, args ...any) {
	line, path := e.line, fmt.Sprintf("[%d]", e.index)
	if l, ok := e.lines[field]; ok {
		line = l
	}
	if field != "" {
		path += "." + field
	}
	loc := e.file
	if line > 0 {
		loc = fmt.Sprintf("%s:%d", e.file, line)
	}
	e.errs = append(e.errs, fmt.Errorf("%s: %s: %s", loc, path, fmt.Sprintf(format, args...)))
}

// parse reads a mapping of string scalars, then validates it.
func (e *entry) parse(n *yaml.Node) Threshold {
	if n.Kind != yaml.MappingNode {
		e.problem("", "must be a mapping with measurement, conditionType, metric and a limit")
		return Threshold{}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		_, dup := e.fields[k.Value]
		e.lines[k.Value] = k.Line
		switch {
		case !entryKeys[k.Value]:
			e.problem(k.Value, "unknown field")
		case dup:
			e.problem(k.Value, "given twice")
		case v.Kind != yaml.ScalarNode:
			e.problem(k.Value, "must be a single value")
		default:
			e.fields[k.Value] = v.Value
		}
	}
	return e.threshold()
}

// threshold validates the fields.
func (e *entry) threshold() Threshold {
	t := Threshold{
		Measurement: e.measurement(),
		Job:         e.fields["job"],
		Quantile:    e.either("conditionType", "quantileName"),
		Stat:        e.stat(),
		Max:         e.duration(),
		MaxIncrease: e.increase(),
		Source:      e.source(),
	}
	if _, ok := e.fields["threshold"]; !ok && t.MaxIncrease == nil {
		e.problem("", "needs threshold, maxIncrease or both")
	}
	return t
}

// either returns whichever of two alternative fields is set.
func (e *entry) either(a, b string) string {
	va, okA := e.fields[a]
	vb, okB := e.fields[b]
	switch {
	case okA && okB:
		e.problem(b, "give %s or %s, not both", a, b)
	case !okA && !okB:
		e.problem("", "needs %s (or %s)", a, b)
	case okA:
		return va
	}
	return vb
}

func (e *entry) measurement() string {
	if name, ok := e.fields["metricName"]; ok {
		e.either("measurement", "metricName")
		if !strings.HasSuffix(name, "QuantilesMeasurement") {
			e.problem("metricName", "%q is not a quantiles metricName such as podLatencyQuantilesMeasurement", name)
		}
		return kubeburner.Measurement(name)
	}
	name := e.either("measurement", "metricName")
	if _, ok := kubeburner.QuantilesMetricName(name); name != "" && !ok {
		e.problem("measurement", "unknown kube-burner measurement %q", name)
	}
	return name
}

func (e *entry) stat() kubeburner.Stat {
	m, ok := e.fields["metric"]
	if !ok {
		e.problem("", "needs metric")
		return ""
	}
	s, ok := kubeburner.ThresholdStat(m)
	if !ok {
		e.problem("metric", "%q %s", m, metricHint)
	}
	return s
}

func (e *entry) duration() time.Duration {
	s, ok := e.fields["threshold"]
	if !ok {
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		e.problem("threshold", "%q is not a positive duration such as 5s or 800ms", s)
	}
	return d
}

func (e *entry) increase() *float64 {
	s, ok := e.fields["maxIncrease"]
	if !ok {
		return nil
	}
	p, err := ParsePercent(s)
	if err != nil {
		e.problem("maxIncrease", "%v", err)
	}
	return &p
}

// source locates the entry for messages about the threshold.
func (e *entry) source() string {
	if e.line > 0 {
		return fmt.Sprintf("%s:%d", e.file, e.line)
	}
	return fmt.Sprintf("%s[%d]", e.file, e.index)
}

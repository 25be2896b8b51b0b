package compare

import (
	"errors"
	"strings"
	"time"

	"github.com/lowlat/lowlat/generator/results/kubeburner"
)

// Threshold limits one statistic of one quantile in the re-test.
type Threshold struct {
	// Measurement is the kube-burner measurement name, e.g. podLatency.
	Measurement string
	// Job restricts the threshold to one job; empty matches every job.
	Job string
	// Quantile is the quantileName, kube-burner's conditionType.
	Quantile string
	Stat     kubeburner.Stat
	// Max is the highest acceptable re-test value; 0 for none. It fails the
	// same values kube-burner's own check does: above Max in whole ms.
	Max time.Duration
	// MaxIncrease is the largest acceptable rise over the baseline, in
	// percent; nil for none.
	MaxIncrease *float64
	// Source locates the threshold for messages, e.g. limits.yaml:12.
	Source string
}

// String describes the limits, e.g. "≤ 5s, +10% at most".
func (t Threshold) String() string {
	var parts []string
	if t.Max > 0 {
		parts = append(parts, "≤ "+t.Max.String())
	}
	if t.MaxIncrease != nil {
		parts = append(parts, "+"+FormatPercent(*t.MaxIncrease)+" at most")
	}
	return strings.Join(parts, ", ")
}

// matches reports whether t applies to the statistic s of quantile k.
func (t Threshold) matches(k kubeburner.Key, s kubeburner.Stat) bool {
	return t.Measurement == k.Measurement && (t.Job == "" || t.Job == k.Job) && t.Quantile == k.Quantile && t.Stat == s
}

// ThresholdSpec is one entry of a thresholds file, field for field. The
// inventory's perfTests.thresholds entries ({measurement, conditionType,
// metric, threshold}, kube-burner's threshold plus its measurement) are a
// subset of it, so they convert one to one.
type ThresholdSpec struct {
	Measurement   string `json:"measurement,omitempty"`
	MetricName    string `json:"metricName,omitempty"`
	Job           string `json:"job,omitempty"`
	ConditionType string `json:"conditionType,omitempty"`
	QuantileName  string `json:"quantileName,omitempty"`
	Metric        string `json:"metric,omitempty"`
	// Threshold is a duration such as 5s.
	Threshold string `json:"threshold,omitempty"`
	// MaxIncrease is a percentage such as 10%.
	MaxIncrease string `json:"maxIncrease,omitempty"`
}

// FromSpecs validates specs as LoadThresholds validates a file; source
// labels them in messages, e.g. "inventory.yaml: spec.perfTests.thresholds".
func FromSpecs(source string, specs []ThresholdSpec) ([]Threshold, error) {
	var out []Threshold
	var errs []error
	for i, s := range specs {
		e := &entry{file: source, index: i, fields: s.fields(), lines: map[string]int{}}
		out = append(out, e.threshold())
		errs = append(errs, e.errs...)
	}
	return out, errors.Join(errs...)
}

// fields lists the spec's non-empty fields under their file keys.
func (s ThresholdSpec) fields() map[string]string {
	all := map[string]string{
		"measurement": s.Measurement, "metricName": s.MetricName, "job": s.Job,
		"conditionType": s.ConditionType, "quantileName": s.QuantileName,
		"metric": s.Metric, "threshold": s.Threshold, "maxIncrease": s.MaxIncrease,
	}
	for k, v := range all {
		if v == "" {
			delete(all, k)
		}
	}
	return all
}

// metricHint lists the metrics a threshold may name. Min is kube-burner's
// too, but the fastest pod cannot show a regression, so lowlat does not
// compare it.
const metricHint = "must be one of P99, P95, P50, Avg, Max (kube-burner's spelling)"

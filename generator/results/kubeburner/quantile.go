package kubeburner

import (
	"strings"
	"time"
)

// Quantile is one latency quantile document as kube-burner indexes it
// (pkg/measurements/metrics.LatencyQuantiles at v2.7.3). Values are in
// milliseconds. kube-burner writes them as integers, older releases wrote avg
// as a float, so they are read as float64.
type Quantile struct {
	QuantileName string    `json:"quantileName"`
	UUID         string    `json:"uuid"`
	P99          float64   `json:"P99"`
	P95          float64   `json:"P95"`
	P50          float64   `json:"P50"`
	Min          float64   `json:"min"`
	Max          float64   `json:"max"`
	Avg          float64   `json:"avg"`
	Timestamp    time.Time `json:"timestamp"`
	MetricName   string    `json:"metricName"`
	JobName      string    `json:"jobName,omitempty"`
	Metadata     any       `json:"metadata,omitempty"`
}

// Stat names one statistic of a quantile document, spelled as its JSON key.
type Stat string

// The statistics lowlat compares. Min is left out: the fastest pod says
// nothing about a regression.
const (
	P99 Stat = "P99"
	P95 Stat = "P95"
	P50 Stat = "P50"
	Avg Stat = "avg"
	Max Stat = "max"
)

// Stats lists the compared statistics in the order tables print them.
var Stats = []Stat{P99, P95, P50, Avg, Max}

// Value returns the statistic s of q in milliseconds.
func (q Quantile) Value(s Stat) float64 {
	switch s {
	case P99:
		return q.P99
	case P95:
		return q.P95
	case P50:
		return q.P50
	case Avg:
		return q.Avg
	case Max:
		return q.Max
	}
	return 0
}

// ThresholdStat maps the metric of a kube-burner latency threshold to a Stat.
// kube-burner looks the metric up by Go field name (reflect FieldByName in
// metrics.CheckThreshold), so only that exact spelling is accepted.
func ThresholdStat(metric string) (Stat, bool) {
	switch metric {
	case "P99", "P95", "P50":
		return Stat(metric), true
	case "Avg":
		return Avg, true
	case "Max":
		return Max, true
	}
	return "", false
}

// quantilesMetricNames maps a measurement name, as written under
// `measurements:` in a kube-burner config, to the metricName of its quantile
// documents (the *QuantilesMeasurement constants in pkg/measurements at
// v2.7.3). Two of them do not follow the <name>QuantilesMeasurement pattern.
var quantilesMetricNames = map[string]string{
	"podLatency":            "podLatencyQuantilesMeasurement",
	"jobLatency":            "jobLatencyQuantilesMeasurement",
	"pvcLatency":            "pvcLatencyQuantilesMeasurement",
	"nodeLatency":           "nodeLatencyQuantilesMeasurement",
	"vmiLatency":            "vmiLatencyQuantilesMeasurement",
	"vmimLatency":           "vmimLatencyQuantilesMeasurement",
	"serviceLatency":        "svcLatencyQuantilesMeasurement",
	"netpolLatency":         "netpolLatencyQuantilesMeasurement",
	"dataVolumeLatency":     "dvLatencyQuantilesMeasurement",
	"volumeSnapshotLatency": "volumeSnapshotLatencyQuantilesMeasurement",
}

// quantilesSuffix ends every quantile document's metricName.
const quantilesSuffix = "QuantilesMeasurement"

// QuantilesMetricName returns the metricName of the quantile documents of a
// measurement, e.g. podLatency -> podLatencyQuantilesMeasurement.
func QuantilesMetricName(measurement string) (string, bool) {
	name, ok := quantilesMetricNames[measurement]
	return name, ok
}

// Measurement returns the config name of the measurement that wrote
// documents with metricName, e.g. svcLatencyQuantilesMeasurement ->
// serviceLatency. Names kube-burner may add later fall back to the metricName
// without its suffix.
func Measurement(metricName string) string {
	for measurement, name := range quantilesMetricNames {
		if name == metricName {
			return measurement
		}
	}
	return strings.TrimSuffix(metricName, quantilesSuffix)
}

package kubeburner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const fixtures = "../../../fixtures/kube-burner"

func TestReadRunReadsTheLocalIndexerFiles(t *testing.T) {
	run, err := ReadRun(filepath.Join(fixtures, "baseline"))
	if err != nil {
		t.Fatal(err)
	}
	if run.UUID == "" || len(run.Quantiles) != 16 {
		t.Fatalf("uuid %q with %d quantiles, want a uuid and 6 pod + 10 vmi quantiles", run.UUID, len(run.Quantiles))
	}
	// pod-density's summaries are stamped first, six minutes into the run.
	if want := time.Date(2025, 6, 2, 10, 6, 0, 0, time.UTC); !run.Timestamp.Equal(want) {
		t.Errorf("timestamp %s, want %s", run.Timestamp, want)
	}
	for i := 1; i < len(run.Quantiles); i++ {
		if !KeyOf(run.Quantiles[i-1]).Less(KeyOf(run.Quantiles[i])) {
			t.Errorf("quantiles not sorted at %d: %v then %v", i, KeyOf(run.Quantiles[i-1]), KeyOf(run.Quantiles[i]))
		}
	}
	first := run.Quantiles[0]
	want := Key{Measurement: "podLatency", Job: "pod-density", Quantile: "ContainersReady"}
	if diff := cmp.Diff(want, KeyOf(first)); diff != "" {
		t.Errorf("first key (-want +got):\n%s", diff)
	}
	if first.Value(P99) != 3450 || first.Value(Avg) != 2240 || first.Value(Max) != 3890 {
		t.Errorf("ContainersReady P99/avg/max = %g/%g/%g, want 3450/2240/3890", first.P99, first.Avg, first.Max)
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const doc = `{"quantileName":"Ready","uuid":"%s","P99":10,"P95":9,"P50":5,"min":1,"max":12,"avg":5.5,"timestamp":"2025-01-01T00:00:00Z","metricName":"podLatencyQuantilesMeasurement"%s}`

func docs(parts ...string) string { return "[" + strings.Join(parts, ",") + "]" }

func one(uuid, extra string) string {
	return strings.Replace(strings.Replace(doc, "%s", uuid, 1), "%s", extra, 1)
}

func TestReadRunTakesTheJobFromTheFileNameWhenOmitted(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"podLatencyQuantilesMeasurement-node-density-heavy.json": docs(one("u1", "")),
		"vmiLatencyQuantilesMeasurement-empty.json":              "null\n",
	})
	run, err := ReadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := KeyOf(run.Quantiles[0]).Job; got != "node-density-heavy" {
		t.Errorf("job %q, want node-density-heavy", got)
	}
	if run.Quantiles[0].Avg != 5.5 {
		t.Errorf("avg %g, want the float 5.5 older releases wrote", run.Quantiles[0].Avg)
	}
}

func TestReadRunReportsEveryProblem(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"a directory without quantile files is not a metrics directory",
			map[string]string{"jobSummary.json": "[]"},
			[]string{"no *QuantilesMeasurement-<job>.json files"}},
		{"a file that is not a JSON array is named",
			map[string]string{"podLatencyQuantilesMeasurement-a.json": "{"},
			[]string{"podLatencyQuantilesMeasurement-a.json: not a JSON array"}},
		{"documents of two runs in one directory are rejected",
			map[string]string{
				"podLatencyQuantilesMeasurement-a.json": docs(one("u1", `,"jobName":"a"`)),
				"podLatencyQuantilesMeasurement-b.json": docs(one("u2", `,"jobName":"b"`)),
			},
			[]string{"documents of 2 runs (uuids u1, u2)"}},
		{"a quantile twice and a document without uuid are both reported",
			map[string]string{
				"podLatencyQuantilesMeasurement-a.json": docs(one("u1", ""), one("u1", "")),
				"podLatencyQuantilesMeasurement-b.json": docs(one("", "")),
			},
			[]string{"document 0: uuid is empty"}},
		{"duplicates are named",
			map[string]string{"podLatencyQuantilesMeasurement-a.json": docs(one("u1", ""), one("u1", ""))},
			[]string{"podLatency a Ready appears twice"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadRun(writeFiles(t, c.files))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestMeasurementNames(t *testing.T) {
	for metricName, want := range map[string]string{
		"podLatencyQuantilesMeasurement":  "podLatency",
		"svcLatencyQuantilesMeasurement":  "serviceLatency",
		"dvLatencyQuantilesMeasurement":   "dataVolumeLatency",
		"fooLatencyQuantilesMeasurement":  "fooLatency",
		"vmimLatencyQuantilesMeasurement": "vmimLatency",
	} {
		if got := Measurement(metricName); got != want {
			t.Errorf("Measurement(%q) = %q, want %q", metricName, got, want)
		}
		if name, ok := QuantilesMetricName(want); ok && name != metricName {
			t.Errorf("QuantilesMetricName(%q) = %q, want %q", want, name, metricName)
		}
	}
}

func TestThresholdStatUsesKubeBurnersSpelling(t *testing.T) {
	for metric, want := range map[string]Stat{"P99": P99, "P95": P95, "P50": P50, "Avg": Avg, "Max": Max, "avg": "", "Min": "", "p99": ""} {
		got, ok := ThresholdStat(metric)
		if got != want || ok != (want != "") {
			t.Errorf("ThresholdStat(%q) = %q, %v; want %q", metric, got, ok, want)
		}
	}
}

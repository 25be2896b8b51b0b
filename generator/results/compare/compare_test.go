package compare

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/results/kubeburner"
)

var update = flag.Bool("update", false, "rewrite testdata goldens")

const fixtures = "../../../fixtures/kube-burner"

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func readRun(t *testing.T, name string) kubeburner.Run {
	t.Helper()
	run, err := kubeburner.ReadRun(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func fixtureReport(t *testing.T) Report {
	t.Helper()
	ts, err := LoadThresholds(filepath.Join(fixtures, "thresholds.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Compare(readRun(t, "baseline"), readRun(t, "retest"), Options{Thresholds: ts})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestReportGoldens(t *testing.T) {
	rep := fixtureReport(t)
	for format, file := range map[string]string{FormatText: "fixture.txt", FormatMarkdown: "fixture.md", FormatJSON: "fixture.json"} {
		t.Run(format, func(t *testing.T) {
			var first, second bytes.Buffer
			if err := WriteReport(&first, rep, format); err != nil {
				t.Fatal(err)
			}
			if err := WriteReport(&second, fixtureReport(t), format); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), second.Bytes()) {
				t.Fatal("a second render of the same input differs")
			}
			golden(t, file, first.Bytes())
		})
	}
}

func TestFixtureVerdicts(t *testing.T) {
	rep := fixtureReport(t)
	worse := map[string]bool{}
	for _, r := range rep.Rows {
		if r.Verdict == Worse {
			worse[r.Quantile] = true
		}
	}
	if diff := cmp.Diff(map[string]bool{"VMIRunning": true}, worse); diff != "" {
		t.Errorf("worse quantiles (-want +got):\n%s", diff)
	}
	if rep.Count(Better) <= rep.Count(Same)+rep.Count(Worse) {
		t.Errorf("%d better, %d same, %d worse: the re-test should be better on most", rep.Count(Better), rep.Count(Same), rep.Count(Worse))
	}
	breached := rep.Breached()
	if len(breached) != 1 || breached[0].Quantile != "VMIRunning" || breached[0].Stat != kubeburner.P99 {
		t.Errorf("breached rows = %+v, want VMIRunning P99 only", breached)
	}
}

func row(b, r float64) Row {
	return Row{Baseline: b, Retest: r, HasBaseline: true, HasRetest: true}
}

func TestVerdicts(t *testing.T) {
	cases := []struct {
		name string
		row  Row
		want Verdict
	}{
		{"a 4% rise is the same at 5% tolerance", row(1000, 1040), Same},
		{"a 6% rise is worse", row(1000, 1060), Worse},
		{"a 6% fall is better", row(1000, 940), Better},
		{"one millisecond is below kube-burner's resolution", row(0, 1), Same},
		{"a rise from 0 to 2 ms is worse", row(0, 2), Worse},
		{"a quantile only in the baseline is missing", Row{Baseline: 5, HasBaseline: true}, Missing},
		{"a quantile only in the re-test is new", Row{Retest: 5, HasRetest: true}, Added},
	}
	for _, c := range cases {
		if got := verdict(c.row, DefaultTolerance); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}

func TestLimits(t *testing.T) {
	inc := 10.0
	max5s := Threshold{Max: 5_000_000_000}
	rise := Threshold{MaxIncrease: &inc}
	cases := []struct {
		name     string
		row      Row
		limit    Threshold
		breached bool
	}{
		{"5000 ms is not above a 5s threshold, as in kube-burner", row(4000, 5000), max5s, false},
		{"5001 ms is above a 5s threshold", row(4000, 5001), max5s, true},
		{"a re-test above the threshold fails even if the baseline was worse", row(6000, 5500), max5s, true},
		{"a 10% rise is within maxIncrease 10%", row(1000, 1100), rise, false},
		{"an 11% rise breaks maxIncrease 10%", row(1000, 1110), rise, true},
		{"a missing re-test value breaks any limit", Row{Baseline: 1, HasBaseline: true}, rise, true},
		{"a new quantile has no baseline to rise from", Row{Retest: 9e9, HasRetest: true}, rise, false},
	}
	for _, c := range cases {
		if got := len(breaks(c.row, c.limit)) > 0; got != c.breached {
			t.Errorf("%s: breached = %v, want %v (%v)", c.name, got, c.breached, breaks(c.row, c.limit))
		}
	}
}

func TestThresholdMatchingNothingIsAnError(t *testing.T) {
	ts, err := ParseThresholds([]byte("- measurement: podLatency\n  conditionType: Readyy\n  metric: P99\n  threshold: 1s\n"), "limits.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compare(readRun(t, "baseline"), readRun(t, "retest"), Options{Thresholds: ts})
	if err == nil || !strings.Contains(err.Error(), "limits.yaml:1: threshold on podLatency (any job) Readyy matches no quantile") {
		t.Errorf("error = %v", err)
	}
}

func TestThresholdFileProblemsAreAllReported(t *testing.T) {
	data, err := os.ReadFile("testdata/bad-thresholds.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ParseThresholds(data, "bad-thresholds.yaml")
	if err == nil {
		t.Fatal("no error")
	}
	golden(t, "bad-thresholds.err", []byte(err.Error()+"\n"))
}

func TestThresholdFileForms(t *testing.T) {
	ts, err := LoadThresholds(filepath.Join(fixtures, "thresholds.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	inc := 10.0
	want := []Threshold{
		{Measurement: "podLatency", Quantile: "Ready", Stat: kubeburner.P99, Max: 5_000_000_000},
		{Measurement: "vmiLatency", Job: "vmi-latency", Quantile: "VMIRunning", Stat: kubeburner.P99, Max: 30_000_000_000, MaxIncrease: &inc},
		{Measurement: "vmiLatency", Quantile: "VMIScheduled", Stat: kubeburner.Avg, MaxIncrease: &inc},
	}
	for i := range ts {
		ts[i].Source = ""
	}
	if diff := cmp.Diff(want, ts); diff != "" {
		t.Errorf("thresholds (-want +got):\n%s", diff)
	}
}

// The inventory's perfTests.thresholds entries carry the four kube-burner
// fields; they convert to specs field by field.
func TestFromSpecs(t *testing.T) {
	got, err := FromSpecs("inventory.yaml: spec.perfTests.thresholds", []ThresholdSpec{
		{Measurement: "podLatency", ConditionType: "Ready", Metric: "P99", Threshold: "2s"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Threshold{{Measurement: "podLatency", Quantile: "Ready", Stat: kubeburner.P99, Max: 2_000_000_000, Source: "inventory.yaml: spec.perfTests.thresholds[0]"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	_, err = FromSpecs("inventory.yaml", []ThresholdSpec{{Measurement: "podLatency", ConditionType: "Ready", Metric: "Min", Threshold: "2s"}})
	if err == nil || err.Error() != `inventory.yaml: [0].metric: "Min" `+metricHint {
		t.Errorf("Min: err = %v", err)
	}
}

func TestParsePercent(t *testing.T) {
	for in, want := range map[string]float64{"5%": 5, "5": 5, " 12.5 % ": 12.5, "0%": 0} {
		if got, err := ParsePercent(in); err != nil || got != want {
			t.Errorf("ParsePercent(%q) = %g, %v; want %g", in, got, err, want)
		}
	}
	for _, in := range []string{"", "%", "five", "-3%", "NaN"} {
		if _, err := ParsePercent(in); err == nil {
			t.Errorf("ParsePercent(%q) accepted", in)
		}
	}
}

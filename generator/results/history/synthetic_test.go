package history

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var epoch = time.Date(2025, 1, 13, 11, 38, 2, 0, time.UTC)

// synthetic returns n runs of metrics named m00, m01, ... around 1000 with
// relative noise cv; from run step on (if step > 0) m00 rises by increase.
func synthetic(seed uint64, n, metrics, step int, increase, cv float64) []Run {
	rng := rand.New(rand.NewPCG(seed, 77))
	runs := make([]Run, n)
	for i := range runs {
		runs[i] = Run{UUID: fmt.Sprintf("run-%05d", i), Timestamp: epoch.Add(time.Duration(i) * 8 * time.Hour), Values: map[string]float64{}}
		for m := range metrics {
			v := 1000 * (1 + rng.NormFloat64()*cv)
			if m == 0 && step > 0 && i >= step {
				v *= 1 + increase
			}
			runs[i].Values[fmt.Sprintf("m%02d", m)] = v
		}
	}
	return runs
}

func syntheticRuns(n, step int, increase, cv float64) []Run {
	return synthetic(9, n, 1, step, increase, cv)
}

func mustAnalyze(t testing.TB, runs []Run, opts Options) Result {
	t.Helper()
	res, err := Analyze(runs, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The seed talk's readOnlyAPICallsLatency max, kept as a CSV series: the
// values before the jump are the talk's, after it they are 10.231 times
// those, +923.1%.
func TestCSVSeriesWithThe923PercentJump(t *testing.T) {
	before := []float64{0.984, 0.984, 0.984, 0.976, 0.984, 0.984, 0.9}
	var b strings.Builder
	b.WriteString("uuid,timestamp,readOnlyAPICallsLatency_max\n")
	for i := range 56 {
		v := before[i%len(before)]
		if i >= 28 {
			v *= 10.231
		}
		fmt.Fprintf(&b, "run-%02d,%d,%g\n", i, epoch.Add(time.Duration(i)*7*time.Hour).Unix(), v)
	}
	path := filepath.Join(t.TempDir(), "api.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	runs, err := Load(nil, []string{path})
	if err != nil {
		t.Fatal(err)
	}
	res := mustAnalyze(t, runs, defaults())
	if len(res.Points) != 1 || res.Points[0].Run != 28 {
		t.Fatalf("points %+v, want one at run 28", res.Points)
	}
	if pct, _ := res.Points[0].PercentChange(); math.Abs(pct-923.1) > 0.05 {
		t.Errorf("change %+.2f%%, want +923.1%%", pct)
	}
}

func TestMinimumChangeFilter(t *testing.T) {
	runs := syntheticRuns(60, 30, 0.06, 0.005)
	for _, c := range []struct {
		min  float64
		want int
	}{{0, 1}, {5, 1}, {10, 0}} {
		opts := defaults()
		opts.MinChange = c.min
		if got := len(mustAnalyze(t, runs, opts).Points); got != c.want {
			t.Errorf("a 6%% step at min change %g%%: %d points, want %d", c.min, got, c.want)
		}
	}
}

func TestDirectionFilter(t *testing.T) {
	runs := syntheticRuns(60, 30, -0.3, 0.02)
	if got := mustAnalyze(t, runs, defaults()).Points; len(got) != 0 {
		t.Errorf("latency falling 30%% reported as %+v with direction worse", got)
	}
	opts := defaults()
	opts.Direction = Both
	res := mustAnalyze(t, runs, opts)
	if len(res.Points) != 1 || res.Points[0].Status != Improvement || len(res.NewRegressions()) != 0 {
		t.Errorf("direction both: %+v, want one improvement and no regression", res.Points)
	}
}

// Orion's filters are what keep E-divisive's false alarms on noise (a few
// series in a hundred, see package changepoint) out of the report. At 3%
// run-to-run noise, a stable cluster's, one series in 300 still reports a
// point: its last run is 3.5σ high, a lone outlier that a CI check should
// show anyway.
func TestNoiseAloneRarelyReportsAnything(t *testing.T) {
	const series = 300
	reported := 0
	for seed := range uint64(series / 3) {
		reported += len(mustAnalyze(t, synthetic(seed, 60, 3, 0, 0, 0.03), defaults()).Points)
	}
	if reported > series/100 {
		t.Errorf("%d points reported on %d noise series, want at most 1%%", reported, series)
	}
}

func TestMissingValuesAreFilledAsOtavaDoes(t *testing.T) {
	runs := []Run{
		{Values: map[string]float64{}},
		{Values: map[string]float64{"m": 2}},
		{Values: map[string]float64{}},
		{Values: map[string]float64{"m": 5}},
		{Values: map[string]float64{}},
	}
	if got, want := filled(runs, "m"), []float64{2, 2, 2, 5, 5}; !equal(got, want) {
		t.Errorf("filled %v, want %v", got, want)
	}
}

func equal(a, b []float64) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func TestMetricPatternsAreChecked(t *testing.T) {
	runs := syntheticRuns(10, 0, 0, 0.01)
	opts := defaults()
	opts.Metrics = []string{"m0*", "podLatency/*"}
	if _, err := Analyze(runs, opts); err == nil || !strings.Contains(err.Error(), `"podLatency/*" matches no metric`) {
		t.Errorf("err = %v", err)
	}
	opts.Metrics = nil
	opts.Direction = "up"
	if _, err := Analyze(runs, opts); err == nil {
		t.Error("direction up accepted")
	}
}

func TestPlotMarksEveryChangePoint(t *testing.T) {
	opts := defaults()
	opts.Metrics = []string{"podLatency/pod-density/Ready/*", "vmiLatency/vmi-latency/VMIRunning/P99"}
	res := analyze(t, historyDirs(t), opts)
	var svg strings.Builder
	if err := WriteSVG(&svg, res); err != nil {
		t.Fatal(err)
	}
	titles, markers := scanSVG(t, svg.String())
	for _, m := range res.Metrics {
		if titles[m] != 1 {
			t.Errorf("title %q appears %d times, want once", m, titles[m])
		}
	}
	if len(res.Metrics) != 6 || markers != 5 {
		t.Errorf("%d panels with %d regression markers, want 6 panels and the 5 Ready points", len(res.Metrics), markers)
	}
}

// scanSVG counts text elements by content and filled paths in the
// regression marker colour.
func scanSVG(t *testing.T, doc string) (map[string]int, int) {
	t.Helper()
	r, g, b, _ := MarkerColor.RGBA()
	fill := fmt.Sprintf("fill:#%02X%02X%02X", r>>8, g>>8, b>>8)
	titles := map[string]int{}
	markers := 0
	dec := xml.NewDecoder(strings.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return titles, markers
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		el, ok := tok.(xml.StartElement)
		switch {
		case ok && el.Name.Local == "text":
			var s string
			if err := dec.DecodeElement(&s, &el); err != nil {
				t.Fatal(err)
			}
			titles[s]++
		case ok && el.Name.Local == "path" && strings.Contains(attr(el, "style"), fill):
			markers++
		}
	}
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// BenchmarkHistory10000x20 analyses 10,000 runs of 20 metrics, each with a
// step, as a long-lived CI history would hold.
func BenchmarkHistory10000x20(b *testing.B) {
	runs := synthetic(1, 10000, 20, 0, 0, 0.03)
	for i := range runs {
		for m := range 20 {
			if i >= 2000+m*350 {
				runs[i].Values[fmt.Sprintf("m%02d", m)] *= 1.2
			}
		}
	}
	res, err := Analyze(runs, defaults())
	if err != nil {
		b.Fatal(err)
	}
	// Besides the 20 steps, lone outliers (3.5σ in 10,000 draws) show up as
	// one-run segments, as they do in Otava; only the steps are checked.
	steps := map[string]int{}
	for _, p := range res.Points {
		var m int
		if _, err := fmt.Sscanf(p.Metric, "m%d", &m); err == nil && p.Run == 2000+m*350 {
			steps[p.Metric] = p.Run
		}
	}
	if len(steps) != 20 {
		b.Fatalf("found %d of the 20 steps at their runs: %v", len(steps), steps)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := Analyze(runs, defaults()); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPatternsSelectByPrefix(t *testing.T) {
	cases := []struct {
		pattern, metric string
		want            bool
	}{
		{"podLatency/pod-density/Ready/P99", "podLatency/pod-density/Ready/P99", true},
		{"podLatency", "podLatency/pod-density/Ready/P99", true},
		{"podLatency/*/Ready", "podLatency/pod-density/Ready/P99", true},
		{"podLatency/*/Ready/P9?", "podLatency/pod-density/Ready/P95", true},
		{"podLatency/*", "podLatency/pod-density/Ready/P99", true},
		{"podLat", "podLatency/pod-density/Ready/P99", false},
		{"*/Ready", "podLatency/pod-density/Ready/P99", false},
		{"vmiLatency", "podLatency/pod-density/Ready/P99", false},
	}
	for _, c := range cases {
		if got := Match(c.pattern, c.metric); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pattern, c.metric, got, c.want)
		}
	}
}

package history

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lowlat/lowlat/generator/results/changepoint"
)

// A labelled synthetic history: each series is one metric of runs at a
// level of 1000 with Gaussian or heavy-tailed noise, sometimes a slow drift
// of a few percent, and at most one event whose class is the truth.
type event struct {
	class  Status
	run    int     // first run of the event
	runs   int     // runs it lasts (steps last to the end)
	factor float64 // level multiplier during the event
}

type labelled struct {
	values []float64
	event  *event
}

// qualityLengths are the history lengths and how many series of each.
var qualityLengths = []struct{ runs, series int }{
	{10, 60}, {15, 60}, {30, 60}, {60, 60}, {200, 30}, {1000, 8},
}

// noise draws one relative deviation: Gaussian, or Student t with 3 degrees
// of freedom (finite variance, heavy tails: one run in about 70 is beyond
// 4 scales), as kube-burner maxima and short jobs are.
func noise(rng *rand.Rand, heavy bool, cv float64) float64 {
	z := rng.NormFloat64()
	if heavy {
		var chi float64
		for range 3 {
			g := rng.NormFloat64()
			chi += g * g
		}
		z /= math.Sqrt(chi / 3)
	}
	return z * cv
}

// synthesize builds one series of n runs; kind picks the event.
func synthesize(rng *rand.Rand, n, kind int) labelled {
	heavy := rng.IntN(2) == 0
	cv := []float64{0.02, 0.05}[rng.IntN(2)]
	drift := 0.0
	if rng.IntN(3) == 0 {
		drift = 0.08 * rng.Float64() // below the 10% minimum change
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = 1000 * (1 + drift*float64(i)/float64(n)) * math.Max(0.05, 1+noise(rng, heavy, cv))
	}
	ev := pickEvent(rng, n, kind)
	if ev != nil {
		for i := ev.run; i < ev.run+ev.runs; i++ {
			x[i] *= ev.factor
		}
	}
	return labelled{values: x, event: ev}
}

func pickEvent(rng *rand.Rand, n, kind int) *event {
	pick := func(fs ...float64) float64 { return fs[rng.IntN(len(fs))] }
	switch kind {
	case 1: // a step up lasting at least 3 runs, after at least 5
		run := 5 + rng.IntN(n-7)
		return &event{Regression, run, n - run, pick(1.3, 1.5, 2, 3, 5)}
	case 2: // a step down
		run := 5 + rng.IntN(n-7)
		return &event{Improvement, run, n - run, pick(0.7, 0.5, 0.33)}
	case 3: // a spike of one or two runs mid-series, at least 3 runs before the end
		runs := 1 + rng.IntN(2)
		return &event{Transient, 5 + rng.IntN(n-7-runs), runs, pick(1.5, 2, 3, 5)}
	case 4: // the newest one or two runs move up
		runs := 1 + rng.IntN(2)
		return &event{Unconfirmed, n - runs, runs, pick(1.5, 2, 3)}
	}
	return nil // noise alone
}

// qualitySeries generates every series, deterministically.
func qualitySeries() map[int][]labelled {
	rng := rand.New(rand.NewPCG(2025, 117))
	out := map[int][]labelled{}
	for _, l := range qualityLengths {
		for i := range l.series {
			out[l.runs] = append(out[l.runs], synthesize(rng, l.runs, i%5))
		}
	}
	return out
}

// detections analyses each length's series as the metrics of one history
// and returns, per length, each series' reported points.
func detections(t testing.TB, all map[int][]labelled, m changepoint.Method) map[int][][]Point {
	out := map[int][][]Point{}
	for n, series := range all {
		runs := make([]Run, n)
		for i := range runs {
			runs[i] = Run{UUID: fmt.Sprintf("run-%04d", i), Timestamp: epoch.Add(time.Duration(i) * time.Hour), Values: map[string]float64{}}
			for s, l := range series {
				runs[i].Values[fmt.Sprintf("s%03d", s)] = l.values[i]
			}
		}
		opts := Options{Direction: Both, MinChange: DefaultMinChange, Detector: changepoint.Options{Method: m}}
		res := mustAnalyze(t, runs, opts)
		out[n] = make([][]Point, len(series))
		for _, p := range res.Points {
			var s int
			fmt.Sscanf(p.Metric, "s%d", &s)
			out[n][s] = append(out[n][s], p)
		}
	}
	return out
}

// at finds a point of class c within a run of r.
func at(points []Point, c Status, r int) bool {
	for _, p := range points {
		if p.Status == c && abs(p.Run-r) <= 1 {
			return true
		}
	}
	return false
}

func abs(i int) int { return max(i, -i) }

// score counts, per class, true positives (a point of the event's class
// within a run of it), false positives and misses.
type score struct{ tp, fp, fn int }

func (s score) precision() float64 { return ratio(s.tp, s.tp+s.fp) }
func (s score) recall() float64    { return ratio(s.tp, s.tp+s.fn) }

// ratio is a/b, NaN when b is 0: a method that reports no point of a class
// has no precision for it.
func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

var qualityClasses = []Status{Regression, Improvement, Transient, Unconfirmed}

func scores(all map[int][]labelled, found map[int][][]Point) map[Status]*score {
	out := map[Status]*score{}
	for _, c := range qualityClasses {
		out[c] = &score{}
	}
	for n, series := range all {
		for s, l := range series {
			matched := false
			for _, p := range found[n][s] {
				if l.event != nil && p.Status == l.event.class && abs(p.Run-l.event.run) <= 1 && !matched {
					matched = true
					out[p.Status].tp++
				} else {
					out[p.Status].fp++
				}
			}
			if l.event != nil && !matched {
				out[l.event.class].fn++
			}
		}
	}
	return out
}

// The default method finds every step of 2× or more (or to half or less)
// that lasts at least 3 runs, as a regression or improvement, or as
// unconfirmed where the history is too short for the test to confirm it; it
// never reports a spike of one run in the middle of a series as a
// regression.
func TestSyntheticHistories(t *testing.T) {
	all := qualitySeries()
	found := detections(t, all, changepoint.Rank)
	for n, series := range all {
		for s, l := range series {
			ev, pts := l.event, found[n][s]
			if ev == nil {
				continue
			}
			big := ev.factor >= 2 || ev.factor <= 0.5
			switch {
			case ev.class == Regression && big && !at(pts, Regression, ev.run) && !at(pts, Unconfirmed, ev.run):
				t.Errorf("%d runs, series %d: a ×%g step at run %d lasting %d runs not found: %+v", n, s, ev.factor, ev.run, ev.runs, pts)
			case ev.class == Improvement && big && !at(pts, Improvement, ev.run) && !at(pts, Unconfirmed, ev.run):
				t.Errorf("%d runs, series %d: a ×%g step at run %d lasting %d runs not found: %+v", n, s, ev.factor, ev.run, ev.runs, pts)
			case ev.class == Transient && ev.runs == 1 && at(pts, Regression, ev.run):
				t.Errorf("%d runs, series %d: a ×%g spike at run %d reported as a regression: %+v", n, s, ev.factor, ev.run, pts)
			}
		}
	}
}

// BenchmarkDetectionQuality reports precision and recall per class on the
// labelled synthetic histories, for the default method and Otava's side by
// side (make bench prints them as a table). Time per op is not the point.
func BenchmarkDetectionQuality(b *testing.B) {
	all := qualitySeries()
	results := map[changepoint.Method]map[Status]*score{}
	for range b.N {
		for _, m := range changepoint.Methods {
			results[m] = scores(all, detections(b, all, m))
		}
	}
	for _, c := range qualityClasses {
		b.Run("class="+string(c), func(b *testing.B) {
			for _, m := range changepoint.Methods {
				s := results[m][c]
				b.ReportMetric(s.precision(), string(m)+"-precision")
				b.ReportMetric(s.recall(), string(m)+"-recall")
				b.ReportMetric(float64(s.tp+s.fn), "events")
			}
		})
	}
}

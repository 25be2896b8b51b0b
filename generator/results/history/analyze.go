package history

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/lowlat/lowlat/generator/results/changepoint"
)

// Direction selects which change points are reported.
type Direction string

// Directions. Latency is the only kind of metric here, so up is worse.
const (
	Worse Direction = "worse"
	Both  Direction = "both"
)

// DefaultMinChange is the smallest change, in percent of the level before,
// worth reporting. Run-to-run noise of kube-burner latencies on one cluster
// is a few percent; Orion configurations commonly use 10.
const DefaultMinChange = 10.0

// Options tune Analyze.
type Options struct {
	// Metrics are metric names or patterns (see Match); empty selects all.
	Metrics   []string
	Detector  changepoint.Options
	MinChange float64 // percent
	Direction Direction
	Acks      []Ack
	// PassUnconfirmed stops unconfirmed moves of the newest runs from
	// counting as new regressions.
	PassUnconfirmed bool
}

// Status is what a reported change point means: its class, the way a CPT
// engineer triages it, or that someone acknowledged it.
type Status string

// Statuses.
const (
	// Regression is a sustained shift to higher latency.
	Regression Status = "regression"
	// Improvement is a sustained shift to lower latency.
	Improvement Status = "improvement"
	// Transient is one or a few runs away from the level that came back:
	// reported with its run, never a regression.
	Transient Status = "transient"
	// Unconfirmed is a move of the newest runs too short to tell from a
	// flaky run yet; a worse one counts as a new regression unless
	// PassUnconfirmed.
	Unconfirmed  Status = "unconfirmed"
	Acknowledged Status = "acknowledged"
)

// Point is a reported change point of one metric.
type Point struct {
	Metric string
	// Run indexes Result.Runs: the first run at the new level.
	Run int
	// Runs counts the runs at the new level (see changepoint.ChangePoint).
	Runs int
	changepoint.Stats
	Status Status
}

// Result is the analysis of a history.
type Result struct {
	Runs    []Run // time order
	Metrics []string
	// Series holds each metric's values in run order, gaps filled.
	Series map[string][]float64
	// Points are sorted by run, then metric.
	Points  []Point
	Options Options
}

// NewRegressions returns the regressions nobody acknowledged and, unless
// PassUnconfirmed, the unconfirmed moves to higher latency.
func (r Result) NewRegressions() []Point {
	var out []Point
	for _, p := range r.Points {
		if p.Status == Regression || (p.Status == Unconfirmed && p.Worse() && !r.Options.PassUnconfirmed) {
			out = append(out, p)
		}
	}
	return out
}

// Worse reports whether latency rose.
func (p Point) Worse() bool { return p.MeanAfter > p.MeanBefore }

// Analyze finds the change points of every selected metric of runs, taken
// in Sort order whatever their order in the slice, and filters them as Orion
// does.
func Analyze(runs []Run, opts Options) (Result, error) {
	runs = slices.Clone(runs)
	Sort(runs)
	opts.Detector = opts.Detector.Default()
	if err := validate(opts); err != nil {
		return Result{}, err
	}
	if err := enough(runs, opts.Detector.Method); err != nil {
		return Result{}, err
	}
	metrics, err := selectMetrics(runs, opts.Metrics)
	if err != nil {
		return Result{}, err
	}
	res := Result{Runs: runs, Metrics: metrics, Series: map[string][]float64{}, Options: opts}
	found := make([][]Point, len(metrics))
	errs := make([]error, len(metrics))
	series := make([][]float64, len(metrics))
	parallel(len(metrics), func(i int) {
		series[i] = filled(runs, metrics[i])
		found[i], errs[i] = detect(runs, metrics[i], series[i], opts)
	})
	for i, m := range metrics {
		res.Series[m] = series[i]
		res.Points = append(res.Points, found[i]...)
	}
	sort.SliceStable(res.Points, func(i, j int) bool { return res.Points[i].Run < res.Points[j].Run })
	return res, errors.Join(errs...)
}

func validate(opts Options) error {
	var errs []error
	if opts.Direction != Worse && opts.Direction != Both {
		errs = append(errs, fmt.Errorf("direction %q is neither worse nor both", opts.Direction))
	}
	if opts.MinChange < 0 {
		errs = append(errs, fmt.Errorf("minimum change %g%% is negative", opts.MinChange))
	}
	return errors.Join(append(errs, opts.Detector.Validate())...)
}

// enough rejects a history too short for method, naming the last run's
// place so the user sees which input is short.
func enough(runs []Run, m changepoint.Method) error {
	need := changepoint.MinRuns(m)
	if len(runs) >= need {
		return nil
	}
	where := "history"
	if n := len(runs); n > 0 {
		where = runs[n-1].Place()
	}
	return fmt.Errorf("%s: %s; the %s method needs at least %d", where, plural(len(runs), "run"), m, need)
}

// parallel runs f(0..n-1) on all CPUs; metrics are independent and each
// writes only its own slot, so the result does not depend on scheduling.
func parallel(n int, f func(int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// selectMetrics returns the sorted metric names that match patterns; a
// pattern matching nothing is an error, as it is almost always a typo.
func selectMetrics(runs []Run, patterns []string) ([]string, error) {
	all := map[string]bool{}
	for _, r := range runs {
		for m := range r.Values {
			all[m] = true
		}
	}
	var out []string
	used := make([]bool, len(patterns))
	for m := range all {
		if matchAny(patterns, m, used) {
			out = append(out, m)
		}
	}
	var errs []error
	for i, p := range patterns {
		if !validPattern(p) {
			errs = append(errs, fmt.Errorf("--metric %q is not a valid pattern", p))
		} else if !used[i] {
			errs = append(errs, fmt.Errorf("--metric %q matches no metric of the runs (names look like podLatency/<job>/Ready/P99)", p))
		}
	}
	sort.Strings(out)
	return out, errors.Join(errs...)
}

func matchAny(patterns []string, m string, used []bool) bool {
	if len(patterns) == 0 {
		return true
	}
	hit := false
	for i, p := range patterns {
		if Match(p, m) {
			used[i], hit = true, true
		}
	}
	return hit
}

// filled is metric's series in run order with gaps filled from the previous
// run, and leading gaps from the first run that has a value, as Otava does,
// so a run that skipped a job neither starts nor hides a change.
func filled(runs []Run, metric string) []float64 {
	x := make([]float64, len(runs))
	last := math.NaN()
	for i, r := range runs {
		if v, ok := r.Values[metric]; ok {
			last = v
		}
		x[i] = last
	}
	for i := len(x) - 1; i >= 0; i-- {
		if math.IsNaN(x[i]) {
			x[i] = x[i+1]
		}
	}
	return x
}

// detect finds and filters the change points of one metric.
func detect(runs []Run, metric string, x []float64, opts Options) ([]Point, error) {
	cps, err := changepoint.Detect(x, opts.Detector)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", metric, err)
	}
	var out []Point
	for _, cp := range cps {
		p := Point{Metric: metric, Run: cp.Index, Runs: cp.Runs, Stats: cp.Stats, Status: status(cp)}
		if keep(p, opts) {
			out = append(out, acknowledge(p, runs[p.Run].UUID, opts.Acks))
		}
	}
	return out, nil
}

func status(cp changepoint.ChangePoint) Status {
	switch {
	case cp.Kind == changepoint.Transient:
		return Transient
	case cp.Kind == changepoint.Unconfirmed:
		return Unconfirmed
	case cp.MeanAfter > cp.MeanBefore:
		return Regression
	}
	return Improvement
}

// keep applies Orion's filters, to every class: direction, then minimum
// change. A change from a level of 0 has no percentage and is always large
// enough.
func keep(p Point, opts Options) bool {
	if opts.Direction == Worse && !p.Worse() {
		return false
	}
	pct, ok := p.PercentChange()
	return !ok || math.Abs(pct) >= opts.MinChange
}

func acknowledge(p Point, uuid string, acks []Ack) Point {
	for _, a := range acks {
		if (p.Status == Regression || p.Status == Unconfirmed) && a.covers(uuid, p.Metric) {
			p.Status = Acknowledged
		}
	}
	return p
}

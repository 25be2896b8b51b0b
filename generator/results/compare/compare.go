package compare

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/lowlat/lowlat/generator/results/kubeburner"
)

// Resolution is the precision of kube-burner's quantiles: NewLatencySummary
// truncates them to whole milliseconds, so a 1 ms difference is noise of the
// format, not of the cluster, and never counts as better or worse.
const Resolution = 1.0

// DefaultTolerance is the change, in percent of the baseline, that still
// counts as the same.
const DefaultTolerance = 5.0

// Verdict judges one statistic of the re-test against the baseline. Lower
// latency is better.
type Verdict string

// Verdicts.
const (
	Better  Verdict = "better"
	Worse   Verdict = "worse"
	Same    Verdict = "same"
	Missing Verdict = "missing" // in the baseline only
	Added   Verdict = "new"     // in the re-test only
)

// Row is one statistic of one quantile in both runs.
type Row struct {
	kubeburner.Key
	Stat kubeburner.Stat
	// Baseline and Retest are in ms; HasBaseline and HasRetest say whether
	// the run had the quantile at all.
	Baseline, Retest       float64
	HasBaseline, HasRetest bool
	Verdict                Verdict
	// Limits are the thresholds that apply to the row.
	Limits []Threshold
	// Breaches say how the re-test broke its limits; empty when it did not.
	Breaches []string
}

// Change returns the re-test minus the baseline, in ms and in percent of the
// baseline; pctOK is false when the baseline is 0 or a side is missing.
func (r Row) Change() (ms, pct float64, pctOK bool) {
	if !r.HasBaseline || !r.HasRetest {
		return 0, 0, false
	}
	ms = r.Retest - r.Baseline
	if r.Baseline == 0 {
		return ms, 0, false
	}
	return ms, ms / r.Baseline * 100, true
}

// RunInfo identifies a compared run.
type RunInfo struct {
	UUID      string
	Timestamp time.Time
}

// Report is the comparison of a re-test with its baseline.
type Report struct {
	Baseline, Retest RunInfo
	Tolerance        float64 // percent
	Rows             []Row
	HasLimits        bool
}

// Options tune Compare.
type Options struct {
	// Tolerance is the change in percent of the baseline within which a
	// statistic is the same; DefaultTolerance when nil.
	Tolerance *float64
	// Thresholds fail rows of the re-test; each must match some quantile.
	Thresholds []Threshold
}

// Compare matches the quantiles of two runs by measurement, job and
// quantile name and judges every compared statistic. It fails when a
// threshold matches no quantile of either run, which is almost always a
// misspelt name.
func Compare(baseline, retest kubeburner.Run, opts Options) (Report, error) {
	tol := DefaultTolerance
	if opts.Tolerance != nil {
		tol = *opts.Tolerance
	}
	rep := Report{
		Baseline:  RunInfo{UUID: baseline.UUID, Timestamp: baseline.Timestamp},
		Retest:    RunInfo{UUID: retest.UUID, Timestamp: retest.Timestamp},
		Tolerance: tol,
		HasLimits: len(opts.Thresholds) > 0,
	}
	rep.Rows = pair(baseline, retest)
	for i := range rep.Rows {
		rep.Rows[i].Verdict = verdict(rep.Rows[i], tol)
		rep.Rows[i].Limits, rep.Rows[i].Breaches = limits(rep.Rows[i], opts.Thresholds)
	}
	return rep, unmatched(rep.Rows, opts.Thresholds)
}

// pair builds one row per key and statistic present in either run, sorted
// by key and then in the order of kubeburner.Stats.
func pair(baseline, retest kubeburner.Run) []Row {
	byKey := map[kubeburner.Key]*[2]*kubeburner.Quantile{}
	for side, run := range []kubeburner.Run{baseline, retest} {
		for i := range run.Quantiles {
			k := kubeburner.KeyOf(run.Quantiles[i])
			if byKey[k] == nil {
				byKey[k] = &[2]*kubeburner.Quantile{}
			}
			byKey[k][side] = &run.Quantiles[i]
		}
	}
	keys := make([]kubeburner.Key, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Less(keys[j]) })
	var rows []Row
	for _, k := range keys {
		b, r := byKey[k][0], byKey[k][1]
		for _, s := range kubeburner.Stats {
			row := Row{Key: k, Stat: s, HasBaseline: b != nil, HasRetest: r != nil}
			if b != nil {
				row.Baseline = b.Value(s)
			}
			if r != nil {
				row.Retest = r.Value(s)
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// verdict compares within tol percent of the baseline, and never finer than
// the data's Resolution.
func verdict(r Row, tol float64) Verdict {
	switch {
	case !r.HasRetest:
		return Missing
	case !r.HasBaseline:
		return Added
	}
	delta := r.Retest - r.Baseline
	switch {
	case math.Abs(delta) <= allowance(r.Baseline, tol):
		return Same
	case delta < 0:
		return Better
	}
	return Worse
}

// allowance is the change a baseline value b absorbs at pct percent.
func allowance(b, pct float64) float64 {
	return math.Max(math.Abs(b)*pct/100, Resolution)
}

// limits returns the thresholds that apply to r and how r breaks them.
func limits(r Row, ts []Threshold) ([]Threshold, []string) {
	var applied []Threshold
	var breaches []string
	for _, t := range ts {
		if !t.matches(r.Key, r.Stat) {
			continue
		}
		applied = append(applied, t)
		breaches = append(breaches, breaks(r, t)...)
	}
	return applied, breaches
}

// breaks checks r against one threshold.
func breaks(r Row, t Threshold) []string {
	if !r.HasRetest {
		return []string{fmt.Sprintf("no re-test value for the limit %s", t)}
	}
	var out []string
	// kube-burner compares whole milliseconds: v > threshold.Milliseconds().
	if t.Max > 0 && r.Retest > float64(t.Max.Milliseconds()) {
		out = append(out, fmt.Sprintf("%s ms > %s", formatMS(r.Retest), t.Max))
	}
	if t.MaxIncrease != nil && r.HasBaseline && r.Retest-r.Baseline > allowance(r.Baseline, *t.MaxIncrease) {
		_, pct, ok := r.Change()
		rise := "from 0 ms"
		if ok {
			rise = fmt.Sprintf("%+.1f%%", pct)
		}
		out = append(out, fmt.Sprintf("%s > +%s", rise, FormatPercent(*t.MaxIncrease)))
	}
	return out
}

// unmatched reports thresholds that apply to no row.
func unmatched(rows []Row, ts []Threshold) error {
	var errs []error
	for _, t := range ts {
		used := false
		for _, r := range rows {
			used = used || t.matches(r.Key, r.Stat)
		}
		if !used {
			errs = append(errs, fmt.Errorf("%s: threshold on %s %s %s matches no quantile in either run", t.Source, t.Measurement, jobOrAll(t.Job), t.Quantile))
		}
	}
	return errors.Join(errs...)
}

func jobOrAll(job string) string {
	if job == "" {
		return "(any job)"
	}
	return job
}

// Breached returns the rows that broke a threshold.
func (rep Report) Breached() []Row {
	var out []Row
	for _, r := range rep.Rows {
		if len(r.Breaches) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// Count returns how many rows have verdict v.
func (rep Report) Count(v Verdict) int {
	n := 0
	for _, r := range rep.Rows {
		if r.Verdict == v {
			n++
		}
	}
	return n
}

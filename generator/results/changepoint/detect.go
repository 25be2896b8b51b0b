package changepoint

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Defaults are Otava's (AnalysisOptions) and Orion's.
const (
	DefaultWindow    = 50
	DefaultMaxPValue = 0.001
)

// Options tune Detect. Zero fields take the defaults.
type Options struct {
	// Window bounds the points one E-divisive pass sees; windows overlap by
	// half. It caps the quadratic cost of q-hat at Window² per window.
	Window int
	// MaxPValue is the significance a change point must reach.
	MaxPValue float64
	// MinMagnitude lets the merge step drop significant points whose
	// relative change (Stats.Magnitude) is at most this; Otava's default is 0.
	MinMagnitude float64
	// Method is the significance test; empty means Rank.
	Method Method

	// otavaCompat reproduces Otava's merge step exactly (see merge); only
	// the reference test sets it.
	otavaCompat bool
}

// Default fills zero fields.
func (o Options) Default() Options {
	if o.Window == 0 {
		o.Window = DefaultWindow
	}
	if o.MaxPValue == 0 {
		o.MaxPValue = DefaultMaxPValue
	}
	if o.Method == "" {
		o.Method = Rank
	}
	return o
}

// Validate reports options no series can be analysed with.
func (o Options) Validate() error {
	var errs []error
	if o.Window < 2 {
		errs = append(errs, fmt.Errorf("window %d is below 2 points", o.Window))
	}
	if o.MaxPValue <= 0 || o.MaxPValue > 1 {
		errs = append(errs, fmt.Errorf("p-value %g is outside (0, 1]", o.MaxPValue))
	}
	if o.MinMagnitude < 0 {
		errs = append(errs, fmt.Errorf("minimum magnitude %g is negative", o.MinMagnitude))
	}
	return errors.Join(append(errs, o.Method.validate())...)
}

// ChangePoint is a run where the series left its level.
type ChangePoint struct {
	// Index is the first point of the new level.
	Index int
	Kind  Kind
	// Runs counts the points at the new level: up to the next shift or the
	// end for a Shift, the points away from the level for the others.
	Runs int
	// Stats compare the segment before Index with the one from Index up to
	// the next change point. For a Transient or an Unconfirmed shift found
	// by level (see Kind), MeanBefore is the level's and PValue is NaN: no
	// test was run.
	Stats
}

// Detect returns the change points of series in index order. It runs Hunter's
// two steps: split finds weak change points window by window at a relaxed
// p-value, merge drops them weakest first until every survivor is
// significant at MaxPValue against its neighbours. With Rank, classify
// then sorts them and the runs that stray from their level into kinds.
func Detect(series []float64, opts Options) ([]ChangePoint, error) {
	opts = opts.Default()
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	for i, v := range series {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("point %d is %v; fill or drop missing values first", i, v)
		}
	}
	if opts.Method == Otava {
		return shifts(series, opts), nil
	}
	return triage(series, opts), nil
}

// shifts runs E-divisive: split, then merge.
func shifts(series []float64, opts Options) []ChangePoint {
	weak := split(series, opts.Window, firstPassPValue(opts.MaxPValue), opts.Method)
	return merge(series, weak, mergeOptions{opts.MaxPValue, opts.MinMagnitude, opts.otavaCompat, opts.Method.test()})
}

// firstPassPValue relaxes the threshold for the split step the way Otava
// does (10× below 0.05, 2× below 0.5): the merge step re-tests every weak
// point at the real threshold, so a loose first pass only costs time.
func firstPassPValue(p float64) float64 {
	switch {
	case p < 0.05:
		return p * 10
	case p < 0.5:
		return p * 2
	}
	return p
}

// split slides a window over series, half a window at a time or to the last
// point found if that is further, and unions what each window finds.
func split(series []float64, window int, maxP float64, m Method) []int {
	d := divisive{method: m}
	seen := map[int]bool{}
	var weak []int
	step := window / 2
	for start := 0; start < len(series); {
		end := min(start+window, len(series))
		last := 0
		for _, i := range d.window(series[start:end], maxP) {
			if !seen[start+i] {
				seen[start+i] = true
				weak = append(weak, start+i)
			}
			last = start + i
		}
		start = max(last, start+step)
	}
	sort.Ints(weak)
	return weak
}

package changepoint

import (
	"math"
	"slices"
)

// Kind sorts a change point the way a performance engineer triages one.
type Kind string

// Kinds.
const (
	// Shift is a sustained move to a new level that the test confirmed,
	// with at least minSustainedRuns runs at the new level.
	Shift Kind = "shift"
	// Transient is one or a few runs away from the level that are followed
	// by runs back at it: a flaky run, not a new level.
	Transient Kind = "transient"
	// Unconfirmed is a move of the newest runs away from the level, too
	// short for the test to tell a shift from a flaky run yet.
	Unconfirmed Kind = "unconfirmed"
)

// Triage thresholds of the Rank method.
const (
	// minSustainedRuns: a shift needs this many runs at its new level; a
	// shorter segment that returns is transient, one at the end unconfirmed.
	minSustainedRuns = 3
	// minLevelRuns is the fewest runs a level (median and spread) is read
	// from to judge the newest runs; minStrayLevelRuns the fewest a segment
	// needs before its runs are searched for transients. A spread read from
	// five runs can be a tenth of the noise's, which makes ordinary runs
	// look like strays and hides a step behind them.
	minLevelRuns      = 5
	minStrayLevelRuns = 8
	// maxTailRuns bounds the newest runs tried as an unconfirmed shift; in a
	// window of 50 the rank test confirms a tail far shorter than this.
	maxTailRuns = 20
	// strayScales is how many robust standard deviations from the level's
	// median a run must be to count as away from it. On Gaussian noise a run
	// strays by chance about once in 150,000; on Student-t noise with 3
	// degrees of freedom, about once in 70.
	strayScales = 4.5
	// newestScales is the bar for the newest runs when each is also beyond
	// every run before it: a run above all n runs of its level happens by
	// chance once in n+1, so the two together let a halving of a 7-run
	// history with heavy-tailed noise through (4.2 scales) while noise alone
	// is rarely both.
	newestScales = 3
)

// triage is the Rank method: find shifts and classify them, then set the
// transient runs aside and look again. A flaky run at twice the level
// before a step counts against every run after it in the rank test, and is
// enough to hide a 25% step of six runs in twenty; without it the step is
// confirmed. Shifts' Stats describe their segments without the transients.
func triage(x []float64, opts Options) []ChangePoint {
	test := opts.Method.test()
	first := classify(x, shifts(x, opts), test)
	var out []ChangePoint
	aside := map[int]bool{}
	for _, cp := range first {
		if cp.Kind == Transient {
			out = append(out, cp)
			for r := cp.Index; r < cp.Index+cp.Runs; r++ {
				aside[r] = true
			}
		}
	}
	if len(out) == 0 {
		return first
	}
	var kept []float64
	var at []int // at[i] is the index in x of kept[i]
	for i, v := range x {
		if !aside[i] {
			kept, at = append(kept, v), append(at, i)
		}
	}
	for _, cp := range classify(kept, shifts(kept, opts), test) {
		cp.Index = at[cp.Index]
		if !aside[cp.Index] && !(cp.Kind == Transient && cp.Index > 0 && aside[cp.Index-1]) {
			out = append(out, cp)
		}
	}
	sortByIndex(out)
	return shiftRuns(x, out)
}

// shiftRuns counts each shift's runs in x: up to the next shift or
// unconfirmed move, or the end.
func shiftRuns(x []float64, cps []ChangePoint) []ChangePoint {
	end := len(x)
	for i := len(cps) - 1; i >= 0; i-- {
		if cps[i].Kind == Transient {
			continue
		}
		if cps[i].Kind == Shift {
			cps[i].Runs = end - cps[i].Index
		}
		end = cps[i].Index
	}
	return cps
}

// classify turns the confirmed change points of the Rank method into
// kinds: too-short confirmed segments become transients or unconfirmed
// shifts, then each level is searched for runs that stray from it and the
// newest runs for a move the test could not confirm.
func classify(x []float64, cps []ChangePoint, test func(left, right []float64) Stats) []ChangePoint {
	cps = shortSegments(x, cps)
	taken := map[int]bool{}
	var bounds []ChangePoint
	for _, cp := range cps {
		if cp.Kind != Transient {
			bounds = append(bounds, cp)
			continue
		}
		for r := cp.Index; r < cp.Index+cp.Runs; r++ {
			taken[r] = true
		}
	}
	out := cps
	from := 0
	for _, b := range append(bounds, ChangePoint{Index: len(x)}) {
		for _, s := range strays(x, from, b.Index) {
			if !taken[s.Index] {
				out = append(out, s)
			}
		}
		from = b.Index
	}
	sortByIndex(out)
	return retestShifts(x, out, test)
}

// shortSegments relabels confirmed change points whose new level lasts
// fewer than minSustainedRuns runs: at the end of the series the shift is
// unconfirmed; in the middle, if the runs after it come back towards the
// level before, it is transient and the return is no change point.
func shortSegments(x []float64, cps []ChangePoint) []ChangePoint {
	var out []ChangePoint
	for k := 0; k < len(cps); k++ {
		cp := cps[k]
		end := segmentEnd(x, cps, k)
		switch {
		case end-cp.Index >= minSustainedRuns:
		case end == len(x):
			cp.Kind = Unconfirmed
		case returns(x, cps, out, k):
			cp.Kind = Transient
			k++ // the return
		}
		out = append(out, cp)
	}
	return out
}

// returns reports whether the level after the short segment cps[k] is
// closer to the level before it than to the segment's own.
func returns(x []float64, cps, kept []ChangePoint, k int) bool {
	from := 0
	if len(kept) > 0 {
		from = kept[len(kept)-1].Index
	}
	end := cps[k+1].Index
	before, blip, after := median(x[from:cps[k].Index]), median(x[cps[k].Index:end]), median(x[end:segmentEnd(x, cps, k+1)])
	return math.Abs(after-before) < math.Abs(after-blip)
}

// strays finds runs of x[from:to] away from the level of that segment: at
// the end of the series an unconfirmed shift, elsewhere transients. A block
// at the segment's start has no earlier level to return to (or belongs to
// the shift before it), and one at its end before the next shift belongs to
// that shift; both are left alone.
func strays(x []float64, from, to int) []ChangePoint {
	var out []ChangePoint
	if to == len(x) {
		if cp, ok := tail(x, from); ok {
			out = append(out, cp)
			to = cp.Index
		}
	}
	seg := x[from:to]
	if len(seg) < minStrayLevelRuns {
		return out
	}
	lv := levelOf(seg)
	for i := 0; i < len(seg); {
		j, sign := i, lv.side(seg[i])
		for j < len(seg) && sign != 0 && lv.side(seg[j]) == sign {
			j++
		}
		if sign != 0 && i > 0 && j < len(seg) {
			out = append(out, ChangePoint{Index: from + i, Kind: Transient, Runs: j - i, Stats: lv.stats(seg[i:j], seg)})
		}
		i = max(j, i+1)
	}
	return out
}

// tail finds the longest run of newest points of x[from:] that all stray
// to the same side of the level of the points before them.
func tail(x []float64, from int) (ChangePoint, bool) {
	seg := x[from:]
	var cp ChangePoint
	found := false
	for m := 1; m <= min(maxTailRuns, len(seg)-minLevelRuns); m++ {
		ref, newest := seg[:len(seg)-m], seg[len(seg)-m:]
		lv := levelOf(ref)
		if lv.allOneSide(newest) || beyond(newest, ref, lv) {
			cp = ChangePoint{Index: len(x) - m, Kind: Unconfirmed, Runs: m, Stats: lv.stats(newest, ref)}
			found = true
		}
	}
	return cp, found
}

// beyond reports whether every newest run is past every run of ref, on one
// side, and at least newestScales from the level.
func beyond(newest, ref []float64, lv level) bool {
	lo, hi := slices.Min(ref), slices.Max(ref)
	above, below := true, true
	for _, v := range newest {
		d := (v - lv.median) / lv.scale
		above = above && v > hi && d >= newestScales
		below = below && v < lo && -d >= newestScales
	}
	return above || below
}

// retestShifts recomputes each shift's stats between its neighbouring
// shifts, now that transients no longer bound segments.
func retestShifts(x []float64, cps []ChangePoint, test func(left, right []float64) Stats) []ChangePoint {
	var shifts []int
	for i, cp := range cps {
		if cp.Kind == Shift {
			shifts = append(shifts, i)
		}
	}
	for k, i := range shifts {
		from, to := 0, len(x)
		if k > 0 {
			from = cps[shifts[k-1]].Index
		}
		if k+1 < len(shifts) {
			to = cps[shifts[k+1]].Index
		}
		cps[i].Stats = test(x[from:cps[i].Index], x[cps[i].Index:to])
		cps[i].Runs = to - cps[i].Index
	}
	return cps
}

func sortByIndex(cps []ChangePoint) {
	for i := 1; i < len(cps); i++ {
		for j := i; j > 0 && cps[j].Index < cps[j-1].Index; j-- {
			cps[j], cps[j-1] = cps[j-1], cps[j]
		}
	}
}

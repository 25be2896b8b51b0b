package changepoint

import (
	"math"
	"sort"
)

// interval is a half-open range of a window with its best split.
type interval struct {
	start, end int
	best       candidate
}

// divisive runs the E-divisive split loop on windows of one series, reusing
// its energy buffer from window to window.
type divisive struct {
	method Method
	energy energy
	x      []float64 // the window
}

// window returns the change points of x (indices into x, ascending) that the
// recursive bisection accepts at maxP. Each round takes the interval whose
// best split has the largest q-hat and tests that split within the
// interval; the first split that fails the test ends the search, as in
// Otava's ChangePointDetector.
func (d *divisive) window(x []float64, maxP float64) []int {
	d.x = x
	d.energy.reset(d.method.energyInput(x))
	test := d.method.test()
	ivs := []interval{d.interval(0, len(x))}
	var found []int
	for {
		i := strongest(ivs)
		if i < 0 {
			break
		}
		iv := ivs[i]
		if test(x[iv.start:iv.best.tau], x[iv.best.tau:iv.end]).PValue > maxP {
			break
		}
		found = append(found, iv.best.tau)
		// Only the split interval changes; the others keep their candidates.
		ivs[i] = d.interval(iv.start, iv.best.tau)
		ivs = append(ivs, d.interval(iv.best.tau, iv.end))
	}
	sort.Ints(found)
	return found
}

func (d *divisive) interval(start, end int) interval {
	iv := interval{start: start, end: end, best: candidate{tau: -1}}
	if end-start > 1 {
		iv.best = d.energy.best(start, end)
		if d.method == Rank {
			iv.best.tau = refine(d.x[start:end], iv.best.tau-start) + start
		}
	}
	return iv
}

// Split refinement of the Rank method: candidates within refineReach runs
// of the split, judged on refineSpan runs each side.
const (
	refineReach = 2
	refineSpan  = 10
)

// refine moves split tau of x to the nearby split with the fewest pairs of
// runs out of order: a run before the split above one after it, for a step
// up. The energy of ranks places a step only within a run or two: the gap
// between two levels counts as one rank, no more than the gap between two
// neighbours of one level, so the last run before a step can join the new
// level when it is its old level's highest. Counting the runs of the new
// level it lies above puts it back, and a single heavy-tailed run moves the
// count by at most the runs it passes.
//
// Where several splits leave no pair out of order (the last runs before a
// step happen to be their level's highest), the one that leaves both sides
// closest to their medians wins.
func refine(x []float64, tau int) int {
	lo, hi := max(0, tau-refineSpan), min(len(x), tau+refineSpan)
	w := x[lo:hi]
	best, bestD, bestC := tau, disorder(w, tau-lo), splitCost(w, tau-lo)
	for t := max(lo+1, tau-refineReach); t <= min(hi-1, tau+refineReach); t++ {
		d, c := disorder(w, t-lo), splitCost(w, t-lo)
		if d < bestD || (d == bestD && c < bestC*(1-1e-12)) {
			best, bestD, bestC = t, d, c
		}
	}
	return best
}

// splitCost is the absolute deviation of each side from its median.
func splitCost(x []float64, t int) float64 {
	return absDeviation(x[:t]) + absDeviation(x[t:])
}

func absDeviation(x []float64) float64 {
	m := median(x)
	var sum float64
	for _, v := range x {
		sum += math.Abs(v - m)
	}
	return sum
}

// disorder is the Mann–Whitney U of x[:t] against x[t:], ties counting a
// half, from the side of the step: the fewer of the pairs above and below.
func disorder(x []float64, t int) float64 {
	var above float64
	for _, a := range x[:t] {
		for _, b := range x[t:] {
			switch {
			case a > b:
				above++
			case a == b:
				above += 0.5
			}
		}
	}
	return math.Min(above, float64(t*(len(x)-t))-above)
}

// strongest returns the index of the interval with the highest q-hat, the
// earliest one on ties, or -1 when no interval can be split.
func strongest(ivs []interval) int {
	best := -1
	for i, iv := range ivs {
		if iv.best.tau < 0 {
			continue
		}
		if best < 0 || iv.best.q > ivs[best].best.q || (iv.best.q == ivs[best].best.q && iv.start < ivs[best].start) {
			best = i
		}
	}
	return best
}

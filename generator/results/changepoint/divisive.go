package changepoint

import "sort"

// interval is a half-open range of a window with its best split.
type interval struct {
	start, end int
	best       candidate
}

// divisive runs the E-divisive split loop on windows of one series, reusing
// its energy buffer from window to window.
type divisive struct {
	energy energy
}

// window returns the change points of x (indices into x, ascending) that the
// recursive bisection accepts at maxP. Each round takes the interval whose
// best split has the largest q-hat and t-tests that split within the
// interval; the first split that fails the test ends the search, as in
// Otava's ChangePointDetector.
func (d *divisive) window(x []float64, maxP float64) []int {
	d.energy.reset(x)
	ivs := []interval{d.interval(0, len(x))}
	var found []int
	for {
		i := strongest(ivs)
		if i < 0 {
			break
		}
		iv := ivs[i]
		if compare(x[iv.start:iv.best.tau], x[iv.best.tau:iv.end]).PValue > maxP {
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
	}
	return iv
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

package changepoint

// mergeOptions carry what the merge step needs from Options.
type mergeOptions struct {
	maxP, minMagnitude float64
	otavaCompat        bool
	test               func(left, right []float64) Stats
}

// merge re-tests the weak change points against their neighbours and removes
// them one at a time: the one with the highest p-value while any is above
// maxP, then the one with the smallest magnitude while that is at most
// minMagnitude. Removing a point changes the segments of both its
// neighbours, so both are re-tested.
//
// Otava's merge differs in two details that otavaCompat restores for the
// reference test: it re-tests the right neighbour and the one after it,
// leaving the left neighbour's stats describing a segment that no longer
// exists, and it keeps only p < maxP where the split step accepts p ≤ maxP.
func merge(series []float64, weak []int, o mergeOptions) []ChangePoint {
	cps := make([]ChangePoint, len(weak))
	for i, idx := range weak {
		cps[i] = ChangePoint{Index: idx, Kind: Shift}
	}
	for i := range cps {
		retest(series, cps, i, o.test)
	}
	for len(cps) > 0 {
		w := weakest(cps)
		if significant(cps[w].PValue, o.maxP, o.otavaCompat) {
			w = smallest(cps)
			if cps[w].Magnitude() > o.minMagnitude {
				break
			}
		}
		cps = append(cps[:w], cps[w+1:]...)
		if o.otavaCompat {
			retest(series, cps, w+1, o.test)
		} else {
			retest(series, cps, w-1, o.test)
		}
		retest(series, cps, w, o.test)
	}
	for i := range cps {
		cps[i].Runs = segmentEnd(series, cps, i) - cps[i].Index
	}
	return cps
}

func significant(p, maxP float64, otavaCompat bool) bool {
	if otavaCompat {
		return p < maxP
	}
	return p <= maxP
}

// retest recomputes the stats of cps[i] from the segments between its
// neighbours; out-of-range i is ignored.
func retest(series []float64, cps []ChangePoint, i int, test func(left, right []float64) Stats) {
	if i < 0 || i >= len(cps) {
		return
	}
	from := 0
	if i > 0 {
		from = cps[i-1].Index
	}
	cps[i].Stats = test(series[from:cps[i].Index], series[cps[i].Index:segmentEnd(series, cps, i)])
}

// segmentEnd is where the segment that cps[i] starts ends.
func segmentEnd(series []float64, cps []ChangePoint, i int) int {
	if i+1 < len(cps) {
		return cps[i+1].Index
	}
	return len(series)
}

// weakest is the index of the highest p-value, the first on ties.
func weakest(cps []ChangePoint) int {
	w := 0
	for i := range cps {
		if cps[i].PValue > cps[w].PValue {
			w = i
		}
	}
	return w
}

// smallest is the index of the smallest magnitude, the first on ties.
func smallest(cps []ChangePoint) int {
	w := 0
	for i := range cps {
		if cps[i].Magnitude() < cps[w].Magnitude() {
			w = i
		}
	}
	return w
}

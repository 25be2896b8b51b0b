package changepoint

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
func merge(series []float64, weak []int, maxP, minMagnitude float64, otavaCompat bool) []ChangePoint {
	cps := make([]ChangePoint, len(weak))
	for i, idx := range weak {
		cps[i].Index = idx
	}
	for i := range cps {
		retest(series, cps, i)
	}
	for len(cps) > 0 {
		w := weakest(cps)
		if significant(cps[w].PValue, maxP, otavaCompat) {
			w = smallest(cps)
			if cps[w].Magnitude() > minMagnitude {
				break
			}
		}
		cps = append(cps[:w], cps[w+1:]...)
		if otavaCompat {
			retest(series, cps, w+1)
		} else {
			retest(series, cps, w-1)
		}
		retest(series, cps, w)
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
func retest(series []float64, cps []ChangePoint, i int) {
	if i < 0 || i >= len(cps) {
		return
	}
	from, to := 0, len(series)
	if i > 0 {
		from = cps[i-1].Index
	}
	if i+1 < len(cps) {
		to = cps[i+1].Index
	}
	cps[i].Stats = compare(series[from:cps[i].Index], series[cps[i].Index:to])
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

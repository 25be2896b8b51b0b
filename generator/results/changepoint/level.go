package changepoint

import (
	"math"
	"slices"
)

// level is where a segment of runs sits and how far its runs spread: the
// median and a robust standard deviation, so the strays being looked for
// move neither.
type level struct {
	median, scale float64
}

// Consistency factors that make the median absolute deviation and the mean
// absolute deviation estimate σ for Gaussian noise.
const (
	madToSigma    = 1.4826
	meanADToSigma = 1.2533
)

// levelOf reads x's level. The spread is the median absolute deviation; when
// more than half the runs tie (kube-burner rounds to the millisecond) it is
// 0, and the mean absolute deviation takes over.
func levelOf(x []float64) level {
	lv := level{median: median(x)}
	dev := make([]float64, len(x))
	var sum float64
	for i, v := range x {
		dev[i] = math.Abs(v - lv.median)
		sum += dev[i]
	}
	lv.scale = madToSigma * median(dev)
	if lv.scale == 0 {
		lv.scale = meanADToSigma * sum / float64(len(x))
	}
	return lv
}

// side is +1 or −1 when v strays above or below the level, else 0.
func (lv level) side(v float64) int {
	d := v - lv.median
	if math.Abs(d) <= strayScales*lv.scale {
		return 0
	}
	if d > 0 {
		return 1
	}
	return -1
}

func (lv level) allOneSide(x []float64) bool {
	s := lv.side(x[0])
	for _, v := range x {
		if lv.side(v) != s || s == 0 {
			return false
		}
	}
	return true
}

// stats compares the strays with the runs of ref that sit at the level.
// No test is run, so PValue is NaN.
func (lv level) stats(strays, ref []float64) Stats {
	var at []float64
	for _, v := range ref {
		if lv.side(v) == 0 {
			at = append(at, v)
		}
	}
	s := compare(at, strays)
	s.PValue = math.NaN()
	return s
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

package changepoint

import "math"

// Stats describe the two segments around a change point.
type Stats struct {
	MeanBefore float64
	MeanAfter  float64
	// StdBefore and StdAfter are population standard deviations (ddof 0).
	StdBefore float64
	StdAfter  float64
	// PValue is the two-sided p-value of a pooled Student t-test that both
	// segments share one mean.
	PValue float64
}

// PercentChange is (after − before) / before in percent; ok is false when
// the level before is 0 and the relative change has no value.
func (s Stats) PercentChange() (pct float64, ok bool) {
	if s.MeanBefore == 0 {
		return 0, s.MeanAfter == 0
	}
	return (s.MeanAfter - s.MeanBefore) / s.MeanBefore * 100, true
}

// Magnitude is the larger of the forward and backward relative changes, the
// measure Otava's merge step uses so a halving weighs as much as a doubling.
func (s Stats) Magnitude() float64 {
	return math.Max(math.Abs(relChange(s.MeanBefore, s.MeanAfter)), math.Abs(relChange(s.MeanAfter, s.MeanBefore)))
}

func relChange(from, to float64) float64 {
	if from == 0 {
		return 0
	}
	return to/from - 1
}

// compare tests whether left and right share a mean.
func compare(left, right []float64) Stats {
	s := Stats{MeanBefore: mean(left), MeanAfter: mean(right)}
	s.StdBefore = popStd(left, s.MeanBefore)
	s.StdAfter = popStd(right, s.MeanAfter)
	s.PValue = pooledTTest(s, len(left), len(right))
	return s
}

// pooledTTest is the equal-variance two-sample t-test. Otava hands numpy's
// population standard deviations to scipy's ttest_ind_from_stats, which
// expects sample ones; the same is done here so p-values match Otava's.
func pooledTTest(s Stats, n1, n2 int) float64 {
	if n1+n2 <= 2 {
		return 1
	}
	df := float64(n1 + n2 - 2)
	pooled := (float64(n1-1)*s.StdBefore*s.StdBefore + float64(n2-1)*s.StdAfter*s.StdAfter) / df
	se := math.Sqrt(pooled * (1/float64(n1) + 1/float64(n2)))
	diff := s.MeanBefore - s.MeanAfter
	if se == 0 {
		// Two constant segments: scipy reports t = ±inf (p = 0) for different
		// levels and NaN for equal ones, which Otava never accepts.
		if diff == 0 {
			return 1
		}
		return 0
	}
	return studentTwoSided(diff/se, df)
}

// studentTwoSided is P(|T| ≥ |t|) for Student's t with df degrees of
// freedom: I_{df/(df+t²)}(df/2, 1/2).
func studentTwoSided(t, df float64) float64 {
	if math.IsInf(t, 0) {
		return 0
	}
	return regIncBeta(df/2, 0.5, df/(df+t*t))
}

func mean(x []float64) float64 {
	var sum float64
	for _, v := range x {
		sum += v
	}
	return sum / float64(len(x))
}

func popStd(x []float64, m float64) float64 {
	var ss float64
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	return math.Sqrt(ss / float64(len(x)))
}

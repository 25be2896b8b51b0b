package changepoint

import "math"

// energy answers energy-statistic queries on one window of a series. It keeps
// 2-D prefix sums of the pairwise distances |x_i - x_j|, so the distance sum
// between any two index ranges costs four lookups and scoring every split of
// an interval of length L costs O(L²), not the O(L⁴) of summing pairs anew.
type energy struct {
	n      int
	prefix []float64 // (n+1)×(n+1); prefix[i*(n+1)+j] = Σ_{a<i, b<j} |x_a − x_b|
}

// reset loads window x, reusing the prefix buffer between windows.
func (e *energy) reset(x []float64) {
	e.n = len(x)
	w := e.n + 1
	if cap(e.prefix) < w*w {
		e.prefix = make([]float64, w*w)
	}
	e.prefix = e.prefix[:w*w]
	clear(e.prefix[:w])
	for i := 0; i < e.n; i++ {
		row, prev := e.prefix[(i+1)*w:(i+2)*w], e.prefix[i*w:(i+1)*w]
		row[0] = 0
		var acc float64 // Σ_{b<=j} |x_i − x_b|
		for j := 0; j < e.n; j++ {
			acc += math.Abs(x[i] - x[j])
			row[j+1] = prev[j+1] + acc
		}
	}
}

// sum is Σ |x_a − x_b| over a in [i0, i1), b in [j0, j1).
func (e *energy) sum(i0, i1, j0, j1 int) float64 {
	w := e.n + 1
	p := e.prefix
	return p[i1*w+j1] - p[i0*w+j1] - p[i1*w+j0] + p[i0*w+j0]
}

// qhat is the scaled sample energy distance between X = x[s:tau] and
// Y = x[tau:kappa] (Matteson and James 2014, with exponent 1):
//
//	2/(n+m)·Σ|X−Y| − 2m/((n+m)(n−1))·Σ_{i<k}|X_i−X_k| − 2n/((n+m)(m−1))·Σ_{j<k}|Y_j−Y_k|
//
// A within-term with a single element has no pairs and is dropped, as in
// Otava. Within sums come from the symmetric block, which counts each pair
// twice.
func (e *energy) qhat(s, tau, kappa int) float64 {
	n, m := float64(tau-s), float64(kappa-tau)
	q := 2 / (n + m) * e.sum(s, tau, tau, kappa)
	if n > 1 {
		q -= m / ((n + m) * (n - 1)) * e.sum(s, tau, s, tau)
	}
	if m > 1 {
		q -= n / ((n + m) * (m - 1)) * e.sum(tau, kappa, tau, kappa)
	}
	return q
}

// candidate is the best split of an interval: tau starts the new regime.
type candidate struct {
	tau int
	q   float64
}

// best maximises qhat over s < tau < kappa <= end, as Otava does: the right
// part need not reach the interval's end, which lets a short-lived level
// inside a long interval still stand out. Ties keep the earliest tau.
func (e *energy) best(s, end int) candidate {
	c := candidate{tau: -1, q: math.Inf(-1)}
	for tau := s + 1; tau < end; tau++ {
		for kappa := tau + 1; kappa <= end; kappa++ {
			if q := e.qhat(s, tau, kappa); q > c.q {
				c = candidate{tau: tau, q: q}
			}
		}
	}
	return c
}

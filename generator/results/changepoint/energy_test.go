package changepoint

import (
	"math"
	"math/rand/v2"
	"testing"
)

// naiveQHat is the energy statistic summed pair by pair from its definition.
func naiveQHat(x []float64, s, tau, kappa int) float64 {
	n, m := float64(tau-s), float64(kappa-tau)
	var between, withinX, withinY float64
	for i := s; i < tau; i++ {
		for j := tau; j < kappa; j++ {
			between += math.Abs(x[i] - x[j])
		}
		for k := i + 1; k < tau; k++ {
			withinX += math.Abs(x[i] - x[k])
		}
	}
	for j := tau; j < kappa; j++ {
		for k := j + 1; k < kappa; k++ {
			withinY += math.Abs(x[j] - x[k])
		}
	}
	q := 2 / (n + m) * between
	if n > 1 {
		q -= 2 * m / ((n + m) * (n - 1)) * withinX
	}
	if m > 1 {
		q -= 2 * n / ((n + m) * (m - 1)) * withinY
	}
	return q
}

func TestQHatHandComputed(t *testing.T) {
	var e energy
	e.reset([]float64{0, 0, 1, 1})
	// X=[0 0], Y=[1 1]: four cross pairs at distance 1, no spread inside.
	if got := e.qhat(0, 2, 4); got != 2 {
		t.Errorf("qhat([0 0],[1 1]) = %g, want 2", got)
	}
	// X=[0], Y=[0 1 1]: 2/4·2 − 2·1/(4·2)·2.
	if got := e.qhat(0, 1, 4); got != 0.5 {
		t.Errorf("qhat([0],[0 1 1]) = %g, want 0.5", got)
	}
	if c := e.best(0, 4); c.tau != 2 || c.q != 2 {
		t.Errorf("best split = %+v, want tau 2 with q 2", c)
	}
}

func TestQHatMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	x := make([]float64, 23)
	for i := range x {
		x[i] = rng.NormFloat64()*3 + float64(i/9)*5
	}
	var e energy
	e.reset(x)
	for s := 0; s < len(x); s += 4 {
		for tau := s + 1; tau < len(x); tau++ {
			for kappa := tau + 1; kappa <= len(x); kappa++ {
				got, want := e.qhat(s, tau, kappa), naiveQHat(x, s, tau, kappa)
				if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Fatalf("qhat(%d,%d,%d) = %g, want %g", s, tau, kappa, got, want)
				}
			}
		}
	}
}

package changepoint

import (
	"math"
	"testing"
)

func TestRegIncBetaClosedForms(t *testing.T) {
	for _, x := range []float64{0, 1e-9, 0.1, 0.37, 0.5, 0.9, 1} {
		if got := regIncBeta(1, 1, x); math.Abs(got-x) > 1e-13 {
			t.Errorf("I_%g(1,1) = %g, want %g", x, got, x)
		}
		// I_x(a, 1) = x^a.
		if got, want := regIncBeta(2.5, 1, x), math.Pow(x, 2.5); math.Abs(got-want) > 1e-13 {
			t.Errorf("I_%g(2.5,1) = %g, want %g", x, got, want)
		}
	}
	for _, a := range []float64{0.5, 3.7, 40, 2500} {
		if got := regIncBeta(a, a, 0.5); math.Abs(got-0.5) > 1e-10 {
			t.Errorf("I_0.5(%g,%g) = %g, want 0.5 by symmetry", a, a, got)
		}
	}
}

func TestStudentTwoSidedClosedForms(t *testing.T) {
	for _, tv := range []float64{0, 0.3, 1, 2.5, 12, 400} {
		// df = 1 is the Cauchy distribution.
		if got, want := studentTwoSided(tv, 1), 1-2/math.Pi*math.Atan(tv); math.Abs(got-want) > 1e-12 {
			t.Errorf("df=1 t=%g: p = %g, want %g", tv, got, want)
		}
		// df = 2 has F(t) = 1/2 + t / (2 sqrt(2 + t²)).
		if got, want := studentTwoSided(-tv, 2), 1-tv/math.Sqrt(2+tv*tv); math.Abs(got-want) > 1e-12 {
			t.Errorf("df=2 t=%g: p = %g, want %g", -tv, got, want)
		}
	}
	// With many degrees of freedom Student's t is the normal distribution.
	if got := studentTwoSided(1.959963984540054, 1e7); math.Abs(got-0.05) > 1e-6 {
		t.Errorf("df=1e7 t=1.96: p = %g, want 0.05", got)
	}
	if got := studentTwoSided(math.Inf(1), 10); got != 0 {
		t.Errorf("t=+Inf: p = %g, want 0", got)
	}
}

func TestStudentTwoSidedIsAProbability(t *testing.T) {
	for _, df := range []float64{1, 2, 3, 7.5, 48, 998, 19998} {
		prev := 1.0
		for tv := 0.0; tv < 60; tv += 0.25 {
			p := studentTwoSided(tv, df)
			if p < 0 || p > 1 || math.IsNaN(p) {
				t.Fatalf("df=%g t=%g: p = %g is not in [0,1]", df, tv, p)
			}
			if p > prev+1e-15 {
				t.Fatalf("df=%g: p rises from %g to %g at t=%g", df, prev, p, tv)
			}
			prev = p
		}
	}
}

package changepoint

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

// noisy returns n points around level with Gaussian noise of relative size
// cv, from a fixed seed.
func noisy(seed uint64, n int, level, cv float64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	x := make([]float64, n)
	for i := range x {
		x[i] = level + rng.NormFloat64()*level*cv
	}
	return x
}

func indices(cps []ChangePoint) []int {
	out := []int{}
	for _, c := range cps {
		out = append(out, c.Index)
	}
	return out
}

func mustDetect(t *testing.T, x []float64, opts Options) []ChangePoint {
	t.Helper()
	cps, err := Detect(x, opts)
	if err != nil {
		t.Fatal(err)
	}
	return cps
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) || math.Abs(a-b) < 1e-300
}

// The reference holds what Otava's compute_change_points returned for 49
// series: its own single-series test case and random piecewise-constant
// series with noise, rounding ties and windows of 10, 30 and 50.
func TestMatchesOtavaReference(t *testing.T) {
	data, err := os.ReadFile("testdata/otava_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			Name         string
			Window       int
			MaxPValue    float64 `json:"max_pvalue"`
			Series       []float64
			ChangePoints []struct {
				Index      int
				PValue     float64
				MeanBefore float64 `json:"mean_before"`
				MeanAfter  float64 `json:"mean_after"`
			} `json:"change_points"`
		}
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	for _, c := range ref.Cases {
		got := mustDetect(t, c.Series, Options{Window: c.Window, MaxPValue: c.MaxPValue, Method: Otava, otavaCompat: true})
		if len(got) != len(c.ChangePoints) {
			t.Errorf("%s: change points at %v, Otava found %d", c.Name, indices(got), len(c.ChangePoints))
			continue
		}
		for i, want := range c.ChangePoints {
			g := got[i]
			if g.Index != want.Index || !near(g.PValue, want.PValue) || !near(g.MeanBefore, want.MeanBefore) || !near(g.MeanAfter, want.MeanAfter) {
				t.Errorf("%s: point %d = %d p=%g means %g→%g, Otava %d p=%g means %g→%g", c.Name, i,
					g.Index, g.PValue, g.MeanBefore, g.MeanAfter, want.Index, want.PValue, want.MeanBefore, want.MeanAfter)
			}
		}
	}
}

func TestSurvivorsDescribeTheirNeighbouringSegments(t *testing.T) {
	for _, m := range Methods {
		for seed := uint64(0); seed < 40; seed++ {
			x := noisy(seed, 150, 100, 0.05)
			for i := range x {
				x[i] *= 1 + float64(i/30%3)*0.4 // levels change every 30 points
			}
			cps := mustDetect(t, x, Options{Window: 30, Method: m})
			survivorsDescribeTheirSegments(t, withoutTransients(x, cps), onlyShifts(cps), m)
		}
	}
}

// withoutTransients returns x with the runs of transients set to NaN.
func withoutTransients(x []float64, cps []ChangePoint) []float64 {
	x = slices.Clone(x)
	for _, c := range cps {
		if c.Kind == Transient {
			for r := c.Index; r < c.Index+c.Runs; r++ {
				x[r] = math.NaN()
			}
		}
	}
	return x
}

// present drops NaN.
func present(x []float64) []float64 {
	return slices.DeleteFunc(slices.Clone(x), math.IsNaN)
}

// onlyShifts keeps the change points of kind Shift.
func onlyShifts(cps []ChangePoint) []ChangePoint {
	var out []ChangePoint
	for _, c := range cps {
		if c.Kind == Shift {
			out = append(out, c)
		}
	}
	return out
}

// survivorsDescribeTheirSegments checks that each shift's stats compare
// the runs between its neighbouring shifts, transients (NaN in x) aside.
func survivorsDescribeTheirSegments(t *testing.T, x []float64, cps []ChangePoint, m Method) {
	t.Helper()
	for i, c := range cps {
		from, to := 0, len(x)
		if i > 0 {
			from = cps[i-1].Index
		}
		if i+1 < len(cps) {
			to = cps[i+1].Index
		}
		if want := m.test()(present(x[from:c.Index]), present(x[c.Index:to])); c.Stats != want {
			t.Fatalf("%s: point %d at %d has stats %+v, its segments give %+v", m, i, c.Index, c.Stats, want)
		}
		if c.PValue > DefaultMaxPValue {
			t.Fatalf("%s: point at %d kept with p=%g", m, c.Index, c.PValue)
		}
	}
}

func TestCleanStepIsFoundAtItsIndex(t *testing.T) {
	cases := []struct {
		name     string
		n, step  int
		increase float64
	}{
		{"step of 30% in the middle of 60 runs", 60, 30, 0.30},
		{"step of 15% late in 60 runs", 60, 52, 0.15},
		{"drop of 20% early in 60 runs", 60, 6, -0.20},
		{"step of 25% beyond the first window of 200 runs", 200, 137, 0.25},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := noisy(uint64(i), c.n, 2000, 0.02)
			for j := c.step; j < c.n; j++ {
				x[j] *= 1 + c.increase
			}
			cps := mustDetect(t, x, Options{})
			if got := indices(cps); !slices.Equal(got, []int{c.step}) {
				t.Fatalf("change points at %v, want [%d]", got, c.step)
			}
			pct, _ := cps[0].PercentChange()
			if math.Abs(pct-c.increase*100) > 3 {
				t.Errorf("change %.1f%%, want about %.0f%%", pct, c.increase*100)
			}
		})
	}
}

// The seed talk's case: readOnlyAPICallsLatency max rose 923.1% at one
// build. The levels before the jump are the talk's; after it they are the
// same values scaled by 10.231.
func TestJumpOf923PercentIsFound(t *testing.T) {
	before := []float64{0.984, 0.984, 0.984, 0.976, 0.984, 0.984, 0.9}
	var x []float64
	for len(x) < 28 {
		x = append(x, before...)
	}
	jump := len(x)
	for _, v := range x[:jump] {
		x = append(x, v*10.231)
	}
	// The 0.9 runs, 8.5% below five tied runs of 0.984, are transients.
	cps := onlyShifts(mustDetect(t, x, Options{}))
	if got := indices(cps); !slices.Equal(got, []int{jump}) {
		t.Fatalf("shifts at %v, want [%d]", got, jump)
	}
	if pct, ok := cps[0].PercentChange(); !ok || math.Abs(pct-923.1) > 0.05 {
		t.Errorf("change = %.2f%%, want +923.1%%", pct)
	}
}

// E-divisive tests the best of many splits, so its p-value understates the
// false-alarm rate; on Gaussian noise a few series in a hundred get a point.
// The bound guards against that rate growing, for either test.
func TestNoiseAloneRarelyFindsAnything(t *testing.T) {
	const series = 200
	for _, m := range Methods {
		flagged := 0
		for seed := uint64(0); seed < series; seed++ {
			if len(mustDetect(t, noisy(seed, 60, 1000, 0.05), Options{Method: m})) > 0 {
				flagged++
			}
		}
		if flagged > series/20 {
			t.Errorf("%s: %d of %d noise series have change points, want at most 5%%", m, flagged, series)
		}
		if got := mustDetect(t, noisy(1, 60, 1000, 0.05), Options{Method: m}); len(got) != 0 {
			t.Errorf("%s: noise series 1 has change points at %v", m, indices(got))
		}
	}
}

func TestPValuesAreProbabilities(t *testing.T) {
	for seed := uint64(0); seed < 100; seed++ {
		rng := rand.New(rand.NewPCG(seed, 9))
		x := noisy(seed, 2+rng.IntN(120), 50, rng.Float64())
		for i := range x {
			if rng.IntN(10) == 0 {
				x[i] = math.Round(x[i] * 3) // outliers and ties
			}
		}
		for _, c := range onlyShifts(mustDetect(t, x, Options{Window: 2 + rng.IntN(60), MaxPValue: 0.5, Method: Methods[seed%2]})) {
			if !(c.PValue >= 0 && c.PValue <= 1) {
				t.Fatalf("seed %d: p = %g at %d", seed, c.PValue, c.Index)
			}
		}
		cut := 1 + rng.IntN(len(x)-1)
		if p := compare(x[:cut], x[cut:]).PValue; !(p >= 0 && p <= 1) {
			t.Fatalf("seed %d: t-test p = %g", seed, p)
		}
		if p := rankSumPValue(x[:cut], x[cut:]); !(p > 0 && p <= 1) {
			t.Fatalf("seed %d: rank-sum p = %g", seed, p)
		}
	}
}

func TestDegenerateSeries(t *testing.T) {
	cases := []struct {
		name string
		x    []float64
		want []int
	}{
		{"empty", nil, []int{}},
		{"one point", []float64{3}, []int{}},
		{"two points", []float64{3, 300}, []int{}},
		{"constant", slices.Repeat([]float64{7}, 80), []int{}},
		{"two constant levels", append(slices.Repeat([]float64{7}, 20), slices.Repeat([]float64{9}, 20)...), []int{20}},
	}
	for _, c := range cases {
		if got := indices(mustDetect(t, c.x, Options{})); !slices.Equal(got, c.want) {
			t.Errorf("%s: change points at %v, want %v", c.name, got, c.want)
		}
	}
}

func TestHandComputedTTest(t *testing.T) {
	// Otava's significance tester cases: a repeated pattern, then a 20% drop.
	same := compare([]float64{1.00, 1.02, 1.05, 0.95, 0.98}, []float64{1.00, 1.02, 1.05, 0.95, 0.98})
	if math.Abs(same.PValue-1) > 1e-12 {
		t.Errorf("identical halves: p = %g, want 1", same.PValue)
	}
	drop := compare([]float64{1.00, 1.02, 1.05, 0.95, 0.98}, []float64{0.80, 0.82, 0.85, 0.79, 0.77})
	if !(drop.PValue > 0 && drop.PValue < 0.001) {
		t.Errorf("20%% drop: p = %g, want in (0, 0.001)", drop.PValue)
	}
	// [1 2 3] vs [4 5 6]: population variances 2/3 pool to 2/3 (the sample
	// variance would be 1), the standard error is 2/3, t = −4.5 with df 4.
	// For df 4, p = 1 − (3/4)·u·(1 − t²/(12(1 + t²/4))) with u = t/√(1 + t²/4).
	tv := 4.5
	u := tv / math.Sqrt(1+tv*tv/4)
	want := 1 - 0.75*u*(1-tv*tv/(12*(1+tv*tv/4)))
	if got := compare([]float64{1, 2, 3}, []float64{4, 5, 6}).PValue; math.Abs(got-want) > 1e-12 {
		t.Errorf("[1 2 3] vs [4 5 6]: p = %.15g, want %.15g", got, want)
	}
}

func TestOptionsAreValidated(t *testing.T) {
	for _, o := range []Options{{Window: 1}, {MaxPValue: 1.5}, {MaxPValue: -1}, {MinMagnitude: -0.1}} {
		if _, err := Detect([]float64{1, 2, 3}, o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
	if _, err := Detect([]float64{1, math.NaN(), 3}, Options{}); err == nil {
		t.Error("NaN in the series accepted")
	}
}

func TestDetectLeavesItsInputAlone(t *testing.T) {
	x := noisy(3, 90, 10, 0.1)
	orig := slices.Clone(x)
	first := mustDetect(t, x, Options{Window: 20})
	if !slices.Equal(x, orig) {
		t.Fatal("Detect modified its input")
	}
	if second := mustDetect(t, x, Options{Window: 20}); !slices.Equal(first, second) {
		t.Fatalf("two runs differ: %v vs %v", first, second)
	}
}

package changepoint

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bruteRankSumPValue enumerates every way to pick len(left) of the values
// and counts the picks whose rank sum is at least as far from its mean.
func bruteRankSumPValue(left, right []float64) float64 {
	all := append(append([]float64{}, left...), right...)
	r := doubledRanks(all)
	n, k := len(all), len(left)
	w := 0
	for _, v := range r[:k] {
		w += v
	}
	mean := k * (n + 1)
	dist := math.Abs(float64(w - mean))
	var lower, upper, total float64
	for mask := 0; mask < 1<<n; mask++ {
		if popcount(mask) != k {
			continue
		}
		s := 0
		for i := range n {
			if mask&(1<<i) != 0 {
				s += r[i]
			}
		}
		total++
		if float64(mean-s) >= dist {
			lower++
		}
		if float64(s-mean) >= dist {
			upper++
		}
	}
	tail := lower
	if w > mean {
		tail = upper
	}
	return math.Min(1, 2*tail/total)
}

func popcount(m int) int {
	c := 0
	for ; m != 0; m &= m - 1 {
		c++
	}
	return c
}

func TestRankSumPValueHandComputed(t *testing.T) {
	cases := []struct {
		name        string
		left, right []float64
		want        float64
	}{
		{"3 below 3: 2 of the 20 picks are as extreme", []float64{1, 2, 3}, []float64{4, 5, 6}, 0.1},
		{"seed 003: 7 runs below 8, 2 of C(15,7)", []float64{0.984, 0.984, 0.984, 0.976, 0.984, 0.984, 0.9},
			[]float64{3.98, 19.9, 19.9, 3.94, 19.6, 28.6, 3.86, 3.74}, 2.0 / 6435},
		{"47 runs below 3, 2 of C(50,3)", ramp(0, 47), ramp(100, 3), 2.0 / 19600},
		{"all tied", []float64{5, 5, 5}, []float64{5, 5}, 1},
	}
	for _, c := range cases {
		if got := rankSumPValue(c.left, c.right); math.Abs(got-c.want) > 1e-12*c.want {
			t.Errorf("%s: p = %.15g, want %.15g", c.name, got, c.want)
		}
	}
}

func ramp(from float64, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = from + float64(i)
	}
	return x
}

// Where the count is exact it equals enumeration, ties included; where the
// normal approximation stands in, the p-value is not far from it.
func TestRankSumPValueMatchesEnumeration(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 300 {
		n := 2 + rng.IntN(13)
		k := 1 + rng.IntN(n-1)
		x := make([]float64, n)
		for j := range x {
			x[j] = math.Round(rng.NormFloat64() * 2) // many ties
			if j >= k && i%2 == 0 {
				x[j] += 3
			}
		}
		got, want := rankSumPValue(x[:k], x[k:]), bruteRankSumPValue(x[:k], x[k:])
		if want <= 0.2 && math.Abs(got-want) > 1e-9 {
			t.Fatalf("%v | %v: p = %g, enumeration %g", x[:k], x[k:], got, want)
		}
		if want > 0.2 && math.Abs(got-want) > 0.15 {
			t.Fatalf("%v | %v: normal p = %g, enumeration %g", x[:k], x[k:], got, want)
		}
	}
}

func TestMinConfirmRuns(t *testing.T) {
	// 2/C(13,6) = 0.00117 and 2/C(14,7) = 0.00058.
	if got := MinConfirmRuns(Rank, 0.001); got != 14 {
		t.Errorf("rank at 0.001: %d runs, want 14", got)
	}
	if got := MinConfirmRuns(Rank, 0.01); got != 10 {
		t.Errorf("rank at 0.01: %d runs, want 10", got)
	}
	if got := MinConfirmRuns(Otava, 0.001); got != 3 {
		t.Errorf("otava: %d runs, want 3", got)
	}
}

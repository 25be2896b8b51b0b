package changepoint

import "fmt"

// Method names the significance test a split must pass.
type Method string

// Methods.
const (
	// Rank, the default, picks splits by the energy statistic of the runs'
	// ranks and accepts them by the Mann–Whitney rank-sum test, then sorts
	// what it found into shifts, transients and unconfirmed shifts (see
	// Kind).
	Rank Method = "rank"
	// Otava picks splits by the energy statistic of the values and accepts
	// them by Otava's pooled t-test; every change point is a Shift.
	Otava Method = "otava"
)

// Methods lists the methods in the order the command line shows them.
var Methods = []Method{Rank, Otava}

// test returns the comparison of two segments the method accepts splits by.
func (m Method) test() func(left, right []float64) Stats {
	if m == Otava {
		return compare
	}
	return rankCompare
}

// energyInput is what the energy statistic sees: the ranks of the window
// for Rank, so one heavy-tailed run cannot outweigh a step of every later
// run; the values themselves for Otava.
func (m Method) energyInput(x []float64) []float64 {
	if m == Otava {
		return x
	}
	return ranks(x)
}

func (m Method) validate() error {
	if m != Rank && m != Otava {
		return fmt.Errorf("method %q is neither %s nor %s", m, Rank, Otava)
	}
	return nil
}

// MinRuns is the shortest series method can say anything about. Otava's
// t-test needs three points. Rank judges the newest runs against a level
// read from at least minLevelRuns earlier ones.
func MinRuns(m Method) int {
	if m == Otava {
		return 3
	}
	return minLevelRuns + 1
}

// MinConfirmRuns is the shortest series in which method can confirm a shift
// at significance maxP. The rank-sum test's smallest two-sided p-value on n
// runs is 2/C(n, n/2): 14 runs for p ≤ 0.001. In shorter series Rank
// reports shifts as unconfirmed.
func MinConfirmRuns(m Method, maxP float64) int {
	if m == Otava {
		return MinRuns(m)
	}
	n := 2
	for 2/binomial(n, n/2) > maxP {
		n++
	}
	return n
}

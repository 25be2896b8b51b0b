package changepoint_test

import (
	"fmt"

	"github.com/lowlat/lowlat/generator/results/changepoint"
)

func ExampleDetect() {
	// Pod Ready P99 over 20 nightly runs: run 5 is a flaky run at twice the
	// usual latency; from run 14 on pods take 25% longer.
	p99 := []float64{
		3410, 3475, 3390, 3502, 3444, 6890, 3431, 3398, 3467, 3420, 3455, 3388, 3479, 3437,
		4290, 4366, 4301, 4255, 4342, 4318,
	}
	for _, m := range changepoint.Methods {
		cps, err := changepoint.Detect(p99, changepoint.Options{Method: m})
		if err != nil {
			panic(err)
		}
		if len(cps) == 0 {
			fmt.Printf("%s: no change points\n", m)
		}
		for _, cp := range cps {
			pct, _ := cp.PercentChange()
			fmt.Printf("%s: run %d, %s over %d run(s): %.0f ms -> %.0f ms (%+.1f%%)\n", m, cp.Index, cp.Kind, cp.Runs, cp.MeanBefore, cp.MeanAfter, pct)
		}
	}
	// The flaky run's spread hides the step from Otava's t-test.

	// Output:
	// rank: run 5, transient over 1 run(s): 3438 ms -> 6890 ms (+100.4%)
	// rank: run 14, shift over 6 run(s): 3438 ms -> 4312 ms (+25.4%)
	// otava: no change points
}

package changepoint_test

import (
	"fmt"

	"github.com/lowlat/lowlat/generator/results/changepoint"
)

func ExampleDetect() {
	// Pod Ready P99 over 12 nightly runs; from run 6 pods take 25% longer.
	p99 := []float64{3410, 3475, 3390, 3502, 3444, 3431, 4290, 4366, 4301, 4255, 4342, 4318}
	cps, err := changepoint.Detect(p99, changepoint.Options{})
	if err != nil {
		panic(err)
	}
	for _, cp := range cps {
		pct, _ := cp.PercentChange()
		fmt.Printf("run %d: %.0f ms -> %.0f ms (%+.1f%%), p < 0.001: %v\n", cp.Index, cp.MeanBefore, cp.MeanAfter, pct, cp.PValue < 0.001)
	}
	// Output:
	// run 6: 3442 ms -> 4312 ms (+25.3%), p < 0.001: true
}

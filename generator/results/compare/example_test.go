package compare_test

import (
	"fmt"

	"github.com/lowlat/lowlat/generator/results/compare"
)

func ExampleParseThresholds() {
	limits := []byte(`
- measurement: podLatency
  conditionType: Ready
  metric: P99
  threshold: 5s
- metricName: vmiLatencyQuantilesMeasurement
  quantileName: VMIRunning
  metric: Max
  maxIncrease: 10%
`)
	ts, err := compare.ParseThresholds(limits, "limits.yaml")
	if err != nil {
		panic(err)
	}
	for _, t := range ts {
		fmt.Printf("%s: %s %s %s %s\n", t.Source, t.Measurement, t.Quantile, t.Stat, t)
	}
	// Output:
	// limits.yaml:2: podLatency Ready P99 ≤ 5s
	// limits.yaml:6: vmiLatency VMIRunning max +10% at most
}

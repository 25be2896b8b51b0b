package inventory

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// validateCanaries checks the pools that roll out through a canary: a pool
// of one node has no rest to hold back, and a canary is judged by a
// kube-burner re-test with pod latency thresholds, without which every
// re-test passes.
func validateCanaries(c *Cluster, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range c.NodePools {
		np := &c.NodePools[i]
		if !np.Canary {
			continue
		}
		cp := p.Child("nodePools").Index(i).Child("canary")
		if np.Replicas < 2 {
			errs = append(errs, field.Invalid(cp, true, fmt.Sprintf(
				"pool %s has %d node(s); a canary needs at least 2: one is tuned and re-tested first, the rest follow", np.Name, np.Replicas)))
		}
		if len(np.NodeRole) > CanaryRoleMax {
			errs = append(errs, field.Invalid(cp, true, fmt.Sprintf(
				"the canary's re-test Jobs are named canary-%s-<10 hex digits>, longer than 63 characters; shorten the pool's node role to %d characters",
				np.NodeRole, CanaryRoleMax)))
		}
		switch pt := c.PerfTests; {
		case pt == nil || pt.PodDensity == 0:
			errs = append(errs, field.Required(cp, fmt.Sprintf(
				"pool %s's canary is re-tested with kube-burner's pod-density job before the rest of the pool follows: set perfTests.podDensity", np.Name)))
		case !hasThreshold(pt, MeasurementPodLatency):
			errs = append(errs, field.Required(cp, fmt.Sprintf(
				"pool %s's canary passes its re-test when pod latency stays within perfTests.thresholds: add a podLatency threshold (for example conditionType Ready, metric P99, threshold 5s), or every re-test passes",
				np.Name)))
		}
	}
	return errs
}

func hasThreshold(pt *PerfTests, measurement string) bool {
	for _, th := range pt.Thresholds {
		if th.Measurement == measurement {
			return true
		}
	}
	return false
}

package perfrun

import (
	"time"

	"github.com/lowlat/lowlat/generator/gates"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/sriov"
	"github.com/lowlat/lowlat/generator/tuning"
)

// waitForPool bounds how long a run waits for its pool: a day, longer
// than any rollout that goes well (a canary's included: the canary, its
// re-test, then the held nodes), so that a slow rollout does not fail the
// run; a stuck one shows on the tuning Application first. A run that a
// newer commit replaces while it waits is deleted by the retention pass.
const waitForPool = 24 * time.Hour

// PoolWaits hold a run on pool np until every node runs the tuning
// rendered with it (the pool's tuning marker) and advertises the VFs of
// each of its networks.
func PoolWaits(c *inventory.Cluster, np *inventory.NodePool) []Wait {
	tuned := gates.PoolRunsArgs(np.NodeRole, tuning.MarkerName(np), np.Replicas)
	tuned[len(tuned)-1] = "--timeout=" + waitForPool.String()
	waits := []Wait{{Name: "tuned-" + np.NodeRole, Args: tuned}}
	for i := range c.Networks {
		n := &c.Networks[i]
		if !onPool(c, n, np) {
			continue
		}
		if count, ok := sriov.VFsPerNode(np, n); ok {
			waits = append(waits, Wait{Name: "sriov-" + n.Name, Args: gates.NetworkReadyArgs(sriov.ResourceName(n.Name), tuning.NodeSelector(np), count)})
		}
	}
	return waits
}

// PoolInputs are what a run on pool np measures besides its own test: the
// pool's tuning, its SR-IOV networks and the workloads that run on it.
func PoolInputs(c *inventory.Cluster, np *inventory.NodePool) []any {
	in := []any{tuning.TuningHash(np)}
	for i := range c.Networks {
		if n := &c.Networks[i]; onPool(c, n, np) {
			in = append(in, sriov.PolicyFor(np, n), n)
		}
	}
	for i := range c.Workloads.VMs {
		if vm := &c.Workloads.VMs[i]; vm.NodePool == np.Name {
			in = append(in, vm)
		}
	}
	for i := range c.Workloads.Pods {
		if pod := &c.Workloads.Pods[i]; pod.NodePool == np.Name {
			in = append(in, pod)
		}
	}
	return in
}

func onPool(c *inventory.Cluster, n *inventory.Network, np *inventory.NodePool) bool {
	for _, q := range c.PoolsOf(n) {
		if q == np {
			return true
		}
	}
	return false
}

// Results labels a run's results: cluster, pool, phase, test, tuning hash
// (or none) and series.
func Results(c *inventory.Cluster, np *inventory.NodePool, phase, test, series string, tuned bool) map[string]string {
	tuningHash := "none"
	if tuned {
		tuningHash = tuning.TuningHash(np)[:hashLength]
	}
	return map[string]string{
		ClusterLabel: c.Name, PoolLabel: np.Name, PhaseLabel: phase,
		TestLabel: test, TuningLabel: tuningHash, SeriesLabel: series,
	}
}

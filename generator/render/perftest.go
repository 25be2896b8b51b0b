package render

import (
	"strconv"

	"github.com/lowlat/lowlat/generator/argocd"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/perfrun"
	"github.com/lowlat/lowlat/generator/perftest"
	"github.com/lowlat/lowlat/generator/virt"
)

// perftestBaseline renders the Test: it syncs before the PerformanceProfile.
func perftestBaseline(inv *inventory.Inventory, c *inventory.Cluster) ([]any, error) {
	return perftest.BaselineObjects(c, inv.Spec.GitOps.Namespace, runApplication(c))
}

// perftestRetest renders the Re-test: it syncs after the profile and the
// workloads.
func perftestRetest(inv *inventory.Inventory, c *inventory.Cluster) ([]any, error) {
	return perftest.RetestObjects(c, inv.Spec.GitOps.Namespace, runApplication(c))
}

// runApplication names the Application that syncs the runs of a phase:
// the baseline's and the re-test's own, the tuning Application for the
// canaries' re-tests.
func runApplication(c *inventory.Cluster) perftest.Application {
	return func(phase string) string {
		switch phase {
		case perftest.PhaseBaseline:
			return ChildName(c.Name, ComponentPerftestBaseline)
		case perftest.PhaseRetest:
			return ChildName(c.Name, ComponentPerftestRetest)
		}
		return ChildName(c.Name, ComponentTuning)
	}
}

// runRevisionRights let the perf runs and the latency test runs read the
// Applications that sync them, whose revision labels their results: a Role in ArgoCD's namespace,
// beside the Applications, synced by the root with the controller's rights.
func runRevisionRights(inv *inventory.Inventory, c *inventory.Cluster) []any {
	var out []any
	if len(c.Workloads.Pods) > 0 {
		meta := kube.ObjectMeta{Name: "lowlat-" + c.Name + "-latency-runs", Namespace: inv.Spec.GitOps.Namespace,
			Labels: kube.Labels(map[string]string{ClusterLabel: c.Name}), Annotations: map[string]string{argocd.SyncWaveAnnotation: strconv.Itoa(controllerRightsWave())}}
		out = perfrun.RevisionRights(meta, virt.LatencyTestServiceAccount, c.Workloads.Namespace, []string{ChildName(c.Name, ComponentWorkloads)})
	}
	if c.PerfTests == nil {
		return out
	}
	app := runApplication(c)
	apps := []string{app(perftest.PhaseBaseline), app(perftest.PhaseRetest)}
	if len(c.CanaryPools()) > 0 {
		apps = append(apps, ChildName(c.Name, ComponentTuning))
	}
	meta := kube.ObjectMeta{Name: "lowlat-" + c.Name + "-perf-runs", Namespace: inv.Spec.GitOps.Namespace,
		Labels: kube.Labels(map[string]string{ClusterLabel: c.Name}), Annotations: map[string]string{argocd.SyncWaveAnnotation: strconv.Itoa(controllerRightsWave())}}
	return append(out, perfrun.RevisionRights(meta, perftest.ServiceAccountName, c.PerfTests.Namespace, apps)...)
}

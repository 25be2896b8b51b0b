package perftest

import (
	"fmt"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/perfrun"
	"github.com/lowlat/lowlat/generator/tuning"
)

// canaryHistory is how many finished re-tests of a canary its CronJob
// keeps, passed and failed each: their Jobs are the canary controller's
// record of which rendered configs passed.
const canaryHistory = 3

// CanaryPhase names a pool's canary re-tests: their label, results
// directory and ConfigMap.
func CanaryPhase(np *inventory.NodePool) string { return "canary-" + np.NodeRole }

// CanaryCronJobName names the suspended CronJob that a pool's canary
// re-tests are created from (`oc create job --from=cronjob/<name>`); each
// re-test is canary-<role>-<hash>, so the CronJob keeps their history.
func CanaryCronJobName(np *inventory.NodePool) string { return CanaryPhase(np) }

// CanaryObjects renders, for each pool with a canary, the kube-burner
// config of its canary's re-test and the suspended CronJob that holds the
// re-test Job; the canary controller (package canary) starts one per
// rendered config, when the canary runs it, so the run waits for nothing
// itself. Its results come home as every run's do (package perfrun). They
// run as the perf tests' kube-burner account, whose rights the baseline
// renders.
func CanaryObjects(c *inventory.Cluster, gitops string, app Application) ([]any, error) {
	var objs []any
	for _, np := range c.CanaryPools() {
		cfg, err := canaryConfig(c, np)
		if err != nil {
			return nil, fmt.Errorf("cluster %s: canary kube-burner config: %w", c.Name, err)
		}
		pod, err := podOn(np, tuning.CanarySelector(np))
		if err != nil {
			return nil, err
		}
		ns, phase := c.PerfTests.Namespace, CanaryPhase(np)
		results := perfrun.Results(c, np, phase, testKubeBurner, phase, true)
		job := perfrun.Job(withTest(perfrun.Run{
			Series: phase, Namespace: ns, ServiceAccount: ServiceAccountName, Results: results,
			GitOpsNamespace: gitops, Application: app(phase), Pod: kubeBurnerPod(),
		}, ConfigMapName(phase)))
		history := int32(canaryHistory)
		objs = append(objs,
			kube.ConfigMap{
				TypeMeta: kube.TypeMeta{APIVersion: kube.CoreAPIVersion, Kind: "ConfigMap"},
				Metadata: kube.ObjectMeta{Name: ConfigMapName(phase), Namespace: ns, Labels: kube.Labels(map[string]string{PhaseLabel: phase})},
				Data:     map[string]string{ConfigKey: string(cfg), PodTemplateKey: string(pod)},
			},
			kube.CronJob{
				TypeMeta: kube.TypeMeta{APIVersion: kube.BatchAPIVersion, Kind: "CronJob"},
				Metadata: kube.ObjectMeta{Name: CanaryCronJobName(np), Namespace: ns, Labels: kube.Labels(map[string]string{PhaseLabel: phase})},
				Spec: kube.CronJobSpec{
					// Never scheduled: suspended, it only holds the Job.
					Schedule: "0 0 1 1 *", Suspend: true,
					SuccessfulJobsHistoryLimit: &history, FailedJobsHistoryLimit: &history,
					JobTemplate: kube.JobTemplateSpec{Metadata: job.Spec.Template.Metadata, Spec: job.Spec},
				},
			})
	}
	return objs, nil
}

// ConfigMapName names the ConfigMap of a canary's re-test.
func ConfigMapName(phase string) string { return "kube-burner-" + phase }

package perftest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/perfrun"
	"github.com/lowlat/lowlat/generator/perftest/internal/kbconfig"
)

// TestCanaryRetest: a pool with a canary gets a suspended CronJob whose Job
// runs kube-burner on its own ConfigMap, which the kube-burner account may
// read, and whose config parses with kube-burner's schema: pod-density on
// the canary node only, with one node's share of the pods and the pod
// latency thresholds.
func TestCanaryRetest(t *testing.T) {
	c := loadCluster(t)
	np := &c.NodePools[0]
	np.Canary = true
	objs, err := CanaryObjects(c, "openshift-gitops", func(string) string { return "lab-tuning" })
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 {
		t.Fatalf("want a ConfigMap and a CronJob, got %d objects", len(objs))
	}
	cm, cron := objs[0].(kube.ConfigMap), objs[1].(kube.CronJob)
	if cm.Metadata.Name != "kube-burner-canary-"+np.NodeRole || cron.Metadata.Name != "canary-"+np.NodeRole {
		t.Errorf("names %s, %s", cm.Metadata.Name, cron.Metadata.Name)
	}
	var upstream batchv1.CronJob
	data, err := yaml.Marshal(cron)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(data, &upstream); err != nil {
		t.Fatalf("CronJob does not decode strictly into batch/v1: %v", err)
	}
	if upstream.Spec.Suspend == nil || !*upstream.Spec.Suspend {
		t.Error("the re-tests' CronJob must be suspended: the canary controller starts its Jobs")
	}
	jobPod := upstream.Spec.JobTemplate.Spec.Template.Spec
	args := kubeBurnerIn(t, jobPod).Args
	if diff := cmp.Diff([]string{"kube-burner", "init", "--configmap", cm.Metadata.Name, "--namespace", c.PerfTests.Namespace, "--skip-log-file"}, args); diff != "" {
		t.Errorf("kube-burner args (-want +got):\n%s", diff)
	}
	if len(jobPod.InitContainers) != 2 || jobPod.InitContainers[0].Name != "start" {
		t.Errorf("a canary's re-test starts when the canary controller creates it: want start and kube-burner only, got %d init containers", len(jobPod.InitContainers))
	}
	if upstream.Spec.JobTemplate.Labels[perfrun.SeriesLabel] != "" {
		t.Error("a canary's re-tests are kept by their CronJob's history, not by the retention pass")
	}

	spec, err := kbconfig.ParseConfig([]byte(cm.Data[ConfigKey]), map[string]string{"UUID": "u"})
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.Jobs) != 1 || spec.Jobs[0].Name != JobCanaryPodDensity {
		t.Fatalf("jobs %+v, want %s only", spec.Jobs, JobCanaryPodDensity)
	}
	j := spec.Jobs[0]
	perNode := (c.PerfTests.PodDensity + np.Replicas - 1) / np.Replicas
	if j.JobIterations != perNode {
		t.Errorf("iterations %d, want %d (podDensity %d over %d nodes)", j.JobIterations, perNode, c.PerfTests.PodDensity, np.Replicas)
	}
	if diff := cmp.Diff(map[string]string{"node-role.kubernetes.io/" + np.CanaryRole(): ""}, j.PreLoadNodeLabels); diff != "" {
		t.Errorf("pre-load nodes (-want +got):\n%s", diff)
	}
	want := []kbconfig.LatencyThreshold{{ConditionType: "Ready", Metric: "P99", Threshold: 5 * time.Second}, {ConditionType: "PodScheduled", Metric: "Avg", Threshold: 500 * time.Millisecond}}
	if diff := cmp.Diff(want, j.Measurements[0].LatencyThresholds); diff != "" {
		t.Errorf("thresholds (-want +got):\n%s", diff)
	}
	if got := spec.MetricsEndpoints[0].IndexerConfig.MetricsDirectory; got != "/results/canary-"+np.NodeRole+"/u" {
		t.Errorf("metricsDirectory %q", got)
	}
	var pod corev1.Pod
	if err := yaml.UnmarshalStrict([]byte(cm.Data[PodTemplateKey]), &pod); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"node-role.kubernetes.io/" + np.CanaryRole(): ""}, pod.Spec.NodeSelector); diff != "" {
		t.Errorf("pod nodes (-want +got):\n%s", diff)
	}
}

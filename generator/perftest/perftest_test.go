package perftest

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	kubevirtv1 "kubevirt.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/perftest/internal/kbconfig"
)

func loadCluster(t *testing.T) *inventory.Cluster {
	t.Helper()
	inv, err := inventory.Load(filepath.Join("testdata", "inventory.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return &inv.Spec.Clusters[0]
}

func phaseData(t *testing.T, c *inventory.Cluster, phase string) map[string]string {
	t.Helper()
	data, err := configMapData(c, phase)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestConfigsParseWithKubeBurnersSchema(t *testing.T) {
	c := loadCluster(t)
	cases := []struct {
		phase    string
		wantJobs []string
	}{
		{PhaseBaseline, []string{JobPodDensity}},
		{PhaseRetest, []string{JobPodDensity, JobVMILatency}},
	}
	for _, tc := range cases {
		t.Run(tc.phase, func(t *testing.T) {
			spec, err := kbconfig.ParseConfig([]byte(phaseData(t, c, tc.phase)[ConfigKey]), map[string]string{"UUID": "run-1"})
			if err != nil {
				t.Fatal(err)
			}
			var jobs []string
			for _, j := range spec.Jobs {
				jobs = append(jobs, j.Name)
			}
			if diff := cmp.Diff(tc.wantJobs, jobs); diff != "" {
				t.Errorf("jobs (-want +got):\n%s", diff)
			}
			if got, want := spec.MetricsEndpoints[0].IndexerConfig.MetricsDirectory, "/results/"+tc.phase+"/run-1"; got != want {
				t.Errorf("metricsDirectory = %q, want %q", got, want)
			}
		})
	}
}

func TestPodDensityIsTheSameJobInBothPhases(t *testing.T) {
	c := loadCluster(t)
	var jobs []kbconfig.Job
	for _, phase := range []string{PhaseBaseline, PhaseRetest} {
		spec, err := kbconfig.ParseConfig([]byte(phaseData(t, c, phase)[ConfigKey]), map[string]string{"UUID": "u"})
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, spec.Jobs[0])
	}
	if diff := cmp.Diff(jobs[0], jobs[1]); diff != "" {
		t.Errorf("baseline and re-test pod-density differ (-baseline +retest):\n%s", diff)
	}
	if jobs[0].JobIterations != 20 || !jobs[0].PreLoadImages || jobs[0].PreLoadNodeLabels["node-role.kubernetes.io/cnf"] != "" {
		t.Errorf("pod-density job = %+v", jobs[0])
	}
}

func TestThresholdsComeFromTheInventory(t *testing.T) {
	c := loadCluster(t)
	spec, err := kbconfig.ParseConfig([]byte(phaseData(t, c, PhaseRetest)[ConfigKey]), map[string]string{"UUID": "u"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]kbconfig.LatencyThreshold{}
	for _, j := range spec.Jobs {
		for _, m := range j.Measurements {
			got[j.Name+"/"+m.Name] = m.LatencyThresholds
		}
	}
	want := map[string][]kbconfig.LatencyThreshold{
		"pod-density/podLatency": {{ConditionType: "Ready", Metric: "P99", Threshold: 5 * time.Second}, {ConditionType: "PodScheduled", Metric: "Avg", Threshold: 500 * time.Millisecond}},
		"vmi-latency/vmiLatency": {{ConditionType: "VMIRunning", Metric: "P99", Threshold: 90 * time.Second}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("thresholds (-want +got):\n%s", diff)
	}
}

func TestParseConfigRejectsWhatKubeBurnerRejects(t *testing.T) {
	c := loadCluster(t)
	good := phaseData(t, c, PhaseRetest)[ConfigKey]
	cases := []struct {
		name, old, new, want string
		vars                 map[string]string
	}{
		{"an unknown field is rejected", "  gc: true\n", "  gc: true\n  garbageCollect: true\n", "field garbageCollect not found", nil},
		{"a missing template key is rejected", "", "", `map has no entry for key "UUID"`, map[string]string{}},
		{"a condition the measurement does not time is rejected", "conditionType: VMIRunning", "conditionType: Ready", "unsupported condition type Ready", nil},
		{"an unsupported metric is rejected", "metric: Avg", "metric: Min", "unsupported metric Min", nil},
		{"two jobs with one name are rejected", "name: vmi-latency", "name: pod-density", "job names must be unique", nil},
		{"a threshold that is not a duration is rejected", "threshold: 5s", "threshold: soon", "soon", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vars := tc.vars
			if vars == nil {
				vars = map[string]string{"UUID": "u"}
			}
			cfg := strings.Replace(good, tc.old, tc.new, 1)
			if tc.old != "" && cfg == good {
				t.Fatalf("edit %q does not apply", tc.old)
			}
			_, err := kbconfig.ParseConfig([]byte(cfg), vars)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want an error containing %q, got %v", tc.want, err)
			}
		})
	}
}

// strictYAML decodes YAML into an upstream type, failing on unknown fields.
func strictYAML(t *testing.T, data []byte, into any) {
	t.Helper()
	j, err := yaml.YAMLToJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		t.Fatalf("%s does not decode into %T: %v", data, into, err)
	}
}

func TestObjectTemplatesRenderIntoUpstreamKinds(t *testing.T) {
	c := loadCluster(t)
	data := phaseData(t, c, PhaseRetest)
	pod, err := kbconfig.RenderObjectTemplate(PodTemplateKey, []byte(data[PodTemplateKey]), JobPodDensity, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	var p corev1.Pod
	strictYAML(t, pod, &p)
	if p.Name != "pod-density-3-1" || p.Spec.RuntimeClassName != nil || p.Spec.NodeSelector["node-role.kubernetes.io/cnf"] != "" {
		t.Errorf("pod-density pod: name %q, runtime class %v, nodeSelector %v", p.Name, p.Spec.RuntimeClassName, p.Spec.NodeSelector)
	}
	vm, err := kbconfig.RenderObjectTemplate(VMTemplateKey, []byte(data[VMTemplateKey]), JobVMILatency, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	var v kubevirtv1.VirtualMachine
	strictYAML(t, vm, &v)
	if v.Name != "vmi-latency-0-1" || *v.Spec.RunStrategy != kubevirtv1.RunStrategyAlways || !v.Spec.Template.Spec.Domain.CPU.DedicatedCPUPlacement {
		t.Errorf("vmi-latency VM: name %q, runStrategy %v, dedicated %v", v.Name, *v.Spec.RunStrategy, v.Spec.Template.Spec.Domain.CPU.DedicatedCPUPlacement)
	}
}

func TestBaselineHasNoVMTemplate(t *testing.T) {
	if _, ok := phaseData(t, loadCluster(t), PhaseBaseline)[VMTemplateKey]; ok {
		t.Error("the baseline ConfigMap holds the VM template, which only the re-test runs")
	}
}

func toJSON(t *testing.T, obj any) []byte {
	t.Helper()
	data, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestJobsRunKubeBurnerFromTheConfigMap(t *testing.T) {
	c := loadCluster(t)
	for _, phase := range []string{PhaseBaseline, PhaseRetest} {
		t.Run(phase, func(t *testing.T) {
			var job batchv1.Job
			strictYAML(t, toJSON(t, kubeBurnerJob(c.PerfTests.Namespace, phase)), &job)
			pod := job.Spec.Template.Spec
			want := []string{"init", "--configmap", "kube-burner-" + phase, "--namespace", "lowlat-perf", "--skip-log-file"}
			if diff := cmp.Diff(want, pod.Containers[0].Args); diff != "" {
				t.Errorf("args (-want +got):\n%s", diff)
			}
			if *job.Spec.BackoffLimit != 0 || job.Labels[PhaseLabel] != phase || job.Spec.Template.Labels[PhaseLabel] != phase {
				t.Errorf("backoffLimit %d, labels %v / %v", *job.Spec.BackoffLimit, job.Labels, job.Spec.Template.Labels)
			}
			if img := pod.Containers[0].Image; !strings.HasSuffix(img, ":"+KubeBurnerVersion) {
				t.Errorf("image %s is not kube-burner %s", img, KubeBurnerVersion)
			}
			if pod.Containers[0].WorkingDir != workDir || pod.Volumes[0].EmptyDir == nil || pod.Volumes[1].PersistentVolumeClaim == nil {
				t.Errorf("want the working directory on an emptyDir and results on the claim, got %+v", pod.Volumes)
			}
		})
	}
}

func TestRBACIsNarrowAndDecodes(t *testing.T) {
	objs := access("lowlat-perf", nil)
	var sa corev1.ServiceAccount
	var cr, role rbacv1.ClusterRole
	var crb, rb rbacv1.RoleBinding
	for i, into := range []any{&sa, &cr, &crb, &role, &rb} {
		strictYAML(t, toJSON(t, objs[i]), into)
	}
	for _, r := range append(cr.Rules, role.Rules...) {
		for _, s := range append(append(append([]string{}, r.APIGroups...), r.Resources...), r.Verbs...) {
			if s == "*" {
				t.Errorf("rule %+v uses a wildcard", r)
			}
		}
	}
	if crb.RoleRef.Name != cr.Name || rb.RoleRef.Name != role.Name || crb.Subjects[0].Name != sa.Name {
		t.Errorf("bindings %+v / %+v do not grant %s / %s to %s", crb.RoleRef, rb.RoleRef, cr.Name, role.Name, sa.Name)
	}
}

func TestResultsClaimDecodes(t *testing.T) {
	var pvc corev1.PersistentVolumeClaim
	strictYAML(t, toJSON(t, resultsClaim("lowlat-perf")), &pvc)
	var cm corev1.ConfigMap
	objs, err := RetestObjects(loadCluster(t))
	if err != nil {
		t.Fatal(err)
	}
	strictYAML(t, toJSON(t, objs[0]), &cm)
	if cm.Labels[PhaseLabel] != PhaseRetest {
		t.Errorf("ConfigMap labels %v", cm.Labels)
	}
}

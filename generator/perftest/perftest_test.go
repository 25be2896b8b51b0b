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
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/perfrun"
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

// phaseJobs renders the baseline's and the re-test's Jobs and ConfigMaps.
func phaseJobs(t *testing.T, c *inventory.Cluster) map[string][2]any {
	t.Helper()
	app := func(phase string) string { return "lab-" + phase }
	base, err := BaselineObjects(c, "openshift-gitops", app)
	if err != nil {
		t.Fatal(err)
	}
	re, err := RetestObjects(c, "openshift-gitops", app)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][2]any{}
	for _, o := range append(base, re...) {
		switch v := o.(type) {
		case kube.Job:
			pair := out[v.Metadata.Name]
			pair[0] = v
			out[v.Metadata.Name] = pair
		case kube.ConfigMap:
			pair := out[v.Metadata.Name]
			pair[1] = v
			out[v.Metadata.Name] = pair
		}
	}
	return out
}

// kubeBurnerIn is the pod's kube-burner container.
func kubeBurnerIn(t *testing.T, pod corev1.PodSpec) corev1.Container {
	t.Helper()
	for _, c := range append(pod.InitContainers, pod.Containers...) {
		if c.Name == "kube-burner" {
			return c
		}
	}
	t.Fatal("no kube-burner container")
	return corev1.Container{}
}

// TestJobsRunKubeBurnerFromTheConfigMap: each phase's Job runs kube-burner
// on the ConfigMap named as the Job, wrapped so that publish runs after
// it, with results on an emptyDir, and the re-test first waits for the
// pool's tuning and VFs.
func TestJobsRunKubeBurnerFromTheConfigMap(t *testing.T) {
	c := loadCluster(t)
	retest, err := RetestName(c)
	if err != nil {
		t.Fatal(err)
	}
	jobs := phaseJobs(t, c)
	for phase, name := range map[string]string{PhaseBaseline: BaselineName(), PhaseRetest: retest} {
		t.Run(phase, func(t *testing.T) {
			pair, ok := jobs[name]
			if !ok || pair[0] == nil || pair[1] == nil {
				t.Fatalf("no Job and ConfigMap %s among %v", name, jobs)
			}
			var job batchv1.Job
			strictYAML(t, toJSON(t, pair[0]), &job)
			var cm corev1.ConfigMap
			strictYAML(t, toJSON(t, pair[1]), &cm)
			if cm.Labels[PhaseLabel] != phase {
				t.Errorf("ConfigMap labels %v", cm.Labels)
			}
			pod := job.Spec.Template.Spec
			kb := kubeBurnerIn(t, pod)
			want := []string{"kube-burner", "init", "--configmap", name, "--namespace", "lowlat-perf", "--skip-log-file"}
			if diff := cmp.Diff(want, kb.Args); diff != "" {
				t.Errorf("args (-want +got):\n%s", diff)
			}
			if *job.Spec.BackoffLimit != 0 || job.Labels[perfrun.SeriesLabel] != Series(phase) {
				t.Errorf("backoffLimit %d, labels %v", *job.Spec.BackoffLimit, job.Labels)
			}
			if !strings.HasSuffix(kb.Image, ":"+KubeBurnerVersion) {
				t.Errorf("image %s is not kube-burner %s", kb.Image, KubeBurnerVersion)
			}
			if kb.WorkingDir != workDir || len(pod.Containers) != 1 || pod.Containers[0].Name != "publish" {
				t.Errorf("want the working directory %s and publish last, got %s and %d containers", workDir, kb.WorkingDir, len(pod.Containers))
			}
			waits := 0
			for _, ic := range pod.InitContainers {
				if strings.HasPrefix(ic.Name, "wait-") {
					waits++
				}
			}
			if (phase == PhaseRetest) != (waits > 0) {
				t.Errorf("%s: %d waits; the re-test waits for its pool, the baseline does not", phase, waits)
			}
		})
	}
}

func TestRBACIsNarrowAndDecodes(t *testing.T) {
	objs := append(append(access("lowlat-perf"), perfrun.Rights("lowlat-perf", ServiceAccountName)...),
		perfrun.RevisionRights(kube.ObjectMeta{Name: "revision", Namespace: "openshift-gitops"}, ServiceAccountName, "lowlat-perf", []string{"lab-retest"})...)
	var sa corev1.ServiceAccount
	var cr, role, apps rbacv1.ClusterRole
	var crb, rb, appsb rbacv1.RoleBinding
	for i, into := range []any{&sa, &cr, &crb, &role, &rb, &apps, &appsb} {
		strictYAML(t, toJSON(t, objs[i]), into)
	}
	for _, r := range append(append(cr.Rules, role.Rules...), apps.Rules...) {
		for _, s := range append(append(append([]string{}, r.APIGroups...), r.Resources...), r.Verbs...) {
			if s == "*" {
				t.Errorf("rule %+v uses a wildcard", r)
			}
		}
	}
	if crb.RoleRef.Name != cr.Name || rb.RoleRef.Name != role.Name || crb.Subjects[0].Name != sa.Name || appsb.RoleRef.Name != apps.Name {
		t.Errorf("bindings %+v / %+v do not grant %s / %s to %s", crb.RoleRef, rb.RoleRef, cr.Name, role.Name, sa.Name)
	}
	if diff := cmp.Diff([]string{"lab-retest"}, apps.Rules[0].ResourceNames); diff != "" {
		t.Errorf("Applications the runs may read (-want +got):\n%s", diff)
	}
}

// TestRetestIsNamedAfterItsInputs: the re-test's name changes with the
// pool's tuning, its workloads and its own settings, and with nothing
// else: not with another pool's tuning.
func TestRetestIsNamedAfterItsInputs(t *testing.T) {
	name := func(edit func(c *inventory.Cluster)) string {
		c := loadCluster(t)
		edit(c)
		n, err := RetestName(c)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := name(func(*inventory.Cluster) {})
	if !strings.HasPrefix(before, "kube-burner-retest-") || len(before) != len("kube-burner-retest-")+10 {
		t.Fatalf("name %q, want kube-burner-retest-<10 hex>", before)
	}
	if again := name(func(*inventory.Cluster) {}); again != before {
		t.Errorf("the same inputs name %q, then %q", before, again)
	}
	for what, edit := range map[string]func(c *inventory.Cluster){
		"podDensity":     func(c *inventory.Cluster) { c.PerfTests.PodDensity++ },
		"hugepage count": func(c *inventory.Cluster) { c.Pool(c.PerfTests.NodePool).Tuning.Hugepages[0].Count++ },
		"threshold":      func(c *inventory.Cluster) { c.PerfTests.Thresholds[0].Threshold = "11s" },
	} {
		if after := name(edit); after == before {
			t.Errorf("changing %s keeps the re-test %s: it would not run again", what, before)
		}
	}
	if after := name(func(c *inventory.Cluster) { c.PerfTests.KeepRuns = 9 }); after != before {
		t.Errorf("the retention count is no input of the run, but renames it %s", after)
	}
}

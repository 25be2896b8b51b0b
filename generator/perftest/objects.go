package perftest

import (
	"fmt"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
)

// Names of the objects in the perf tests namespace. The ClusterRole and
// its binding are cluster-scoped; each cluster has one.
const (
	ServiceAccountName = "lowlat-kube-burner"
	ResultsClaim       = "kube-burner-results"
	// PhaseLabel tells the baseline Job and its objects from the re-test's.
	PhaseLabel = "lowlat.dev/phase"
	// resultsSize holds many runs of JSON quantile and timeseries files.
	resultsSize = "1Gi"
	workDir     = "/work"
)

// ConfigMapName and JobName name a phase's ConfigMap and Job.
func ConfigMapName(phase string) string { return "kube-burner-" + phase }

// JobName names a phase's Job.
func JobName(phase string) string { return "kube-burner-" + phase }

// BaselineObjects renders what the Test needs: the results claim, the
// ServiceAccount with its RBAC and admission policy (shared with the
// re-test), and the baseline ConfigMap and Job.
func BaselineObjects(c *inventory.Cluster) ([]any, error) {
	if c.PerfTests == nil {
		return nil, nil
	}
	ns := c.PerfTests.Namespace
	phase, err := phaseObjects(c, PhaseBaseline)
	if err != nil {
		return nil, err
	}
	objs := []any{resultsClaim(ns)}
	objs = append(objs, access(ns, canaryConfigMaps(c))...)
	objs = append(objs, namespaceGuard(ns)...)
	return append(objs, phase...), nil
}

// RetestObjects renders the Re-test's ConfigMap and Job.
func RetestObjects(c *inventory.Cluster) ([]any, error) {
	if c.PerfTests == nil {
		return nil, nil
	}
	return phaseObjects(c, PhaseRetest)
}

func phaseObjects(c *inventory.Cluster, phase string) ([]any, error) {
	data, err := configMapData(c, phase)
	if err != nil {
		return nil, fmt.Errorf("cluster %s: %s kube-burner config: %w", c.Name, phase, err)
	}
	ns := c.PerfTests.Namespace
	cm := kube.ConfigMap{
		TypeMeta: kube.TypeMeta{APIVersion: kube.CoreAPIVersion, Kind: "ConfigMap"},
		Metadata: kube.ObjectMeta{Name: ConfigMapName(phase), Namespace: ns, Labels: kube.Labels(map[string]string{PhaseLabel: phase})},
		Data:     data,
	}
	return []any{cm, kubeBurnerJob(ns, phase)}, nil
}

// configMapData holds the config and the object templates its jobs use.
func configMapData(c *inventory.Cluster, phase string) (map[string]string, error) {
	cfg, err := configFor(c, phase)
	if err != nil {
		return nil, err
	}
	data := map[string]string{ConfigKey: string(cfg)}
	if c.PerfTests.PodDensity > 0 {
		pod, err := podTemplate(c)
		if err != nil {
			return nil, err
		}
		data[PodTemplateKey] = string(pod)
	}
	if c.PerfTests.VMILatency > 0 && phase == PhaseRetest {
		vm, err := vmTemplate(c)
		if err != nil {
			return nil, err
		}
		data[VMTemplateKey] = string(vm)
	}
	return data, nil
}

// resultsClaim keeps the results of every run: an emptyDir would vanish
// with the Job's pod. Read them with a pod that mounts the claim (or
// `oc rsync` from one); runs land in /results/<phase>/<uuid>.
func resultsClaim(ns string) kube.PersistentVolumeClaim {
	return kube.PersistentVolumeClaim{
		TypeMeta: kube.TypeMeta{APIVersion: kube.CoreAPIVersion, Kind: "PersistentVolumeClaim"},
		Metadata: kube.ObjectMeta{Name: ResultsClaim, Namespace: ns, Labels: kube.Labels(nil)},
		Spec: kube.PersistentVolumeClaimSpec{
			AccessModes: []string{"ReadWriteOnce"},
			Resources:   kube.ResourceRequirements{Requests: map[string]string{"storage": resultsSize}},
		},
	}
}

// kubeBurnerJob runs kube-burner once (backoffLimit 0: a failed run is a
// result, and a retry would mix two runs). kube-burner writes the
// ConfigMap's files into its working directory, which must be writable:
// an emptyDir. Its exit code is the Job's verdict: 4 when a threshold is
// not met.
func kubeBurnerJob(ns, phase string) kube.Job {
	yes := true
	labels := map[string]string{PhaseLabel: phase}
	return kube.Job{
		TypeMeta: kube.TypeMeta{APIVersion: kube.BatchAPIVersion, Kind: "Job"},
		Metadata: kube.ObjectMeta{Name: JobName(phase), Namespace: ns, Labels: kube.Labels(labels)},
		Spec: kube.JobSpec{
			BackoffLimit: 0,
			Template: kube.PodTemplateSpec{
				Metadata: kube.TemplateMeta{Labels: labels},
				Spec: kube.PodSpec{
					RestartPolicy:      "Never",
					ServiceAccountName: ServiceAccountName,
					SecurityContext:    &kube.PodSecurityContext{RunAsNonRoot: &yes, SeccompProfile: &kube.SeccompProfile{Type: "RuntimeDefault"}},
					Containers:         []kube.Container{kubeBurnerContainer(ns, phase)},
					Volumes: []kube.Volume{
						{Name: "work", EmptyDir: &kube.EmptyDirVolumeSource{}},
						{Name: "results", PersistentVolumeClaim: &kube.PersistentVolumeClaimVolumeSource{ClaimName: ResultsClaim}},
					},
				},
			},
		},
	}
}

// kubeBurnerContainer runs `kube-burner init` on the phase's ConfigMap.
func kubeBurnerContainer(ns, phase string) kube.Container {
	no := false
	return kube.Container{
		Name:       "kube-burner",
		Image:      inventory.ImageKubeBurner,
		Args:       []string{"init", "--configmap", ConfigMapName(phase), "--namespace", ns, "--skip-log-file"},
		WorkingDir: workDir,
		Resources: kube.ResourceRequirements{
			Requests: map[string]string{"cpu": "200m", "memory": "256Mi"},
			Limits:   map[string]string{"memory": "1Gi"},
		},
		SecurityContext: &kube.SecurityContext{AllowPrivilegeEscalation: &no, Capabilities: &kube.Capabilities{Drop: []string{"ALL"}}},
		VolumeMounts: []kube.VolumeMount{
			{Name: "work", MountPath: workDir},
			{Name: "results", MountPath: ResultsMount},
		},
	}
}

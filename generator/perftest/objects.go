package perftest

import (
	"fmt"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/perfrun"
)

// Names of the objects in the perf tests namespace. The ClusterRole and
// its binding are cluster-scoped; each cluster has one.
const (
	ServiceAccountName = "lowlat-kube-burner"
	// PhaseLabel tells the baseline Job and its objects from the re-test's.
	PhaseLabel = perfrun.PhaseLabel
	workDir    = "/work"
	// testKubeBurner labels kube-burner results.
	testKubeBurner = "kube-burner"
)

// Series names the runs of a phase: kube-burner-<phase>.
func Series(phase string) string { return "kube-burner-" + phase }

// BaselineName is the Job (and ConfigMap) of the Test: it runs once, on
// the untuned pool, so its name stays; the baseline Application ignores
// later changes to its spec (Jobs are immutable), and later changes are
// measured by re-tests, each against the one before.
func BaselineName() string { return Series(PhaseBaseline) }

// Application is the ArgoCD Application that syncs a phase; its synced
// revision labels the phase's results.
type Application func(phase string) string

// BaselineObjects renders what the Test needs: the ServiceAccount with its
// RBAC and admission policy (shared with the re-test), the run scripts,
// and the baseline ConfigMap and Job.
func BaselineObjects(c *inventory.Cluster, gitops string, app Application) ([]any, error) {
	if c.PerfTests == nil {
		return nil, nil
	}
	ns := c.PerfTests.Namespace
	phase, err := baseline(c, gitops, app(PhaseBaseline))
	if err != nil {
		return nil, err
	}
	objs := access(ns)
	objs = append(objs, perfrun.Rights(ns, ServiceAccountName)...)
	objs = append(objs, perfrun.Scripts(ns))
	objs = append(objs, namespaceGuard(ns)...)
	return append(objs, phase...), nil
}

// RetestObjects renders the Re-test, named after its inputs, and the
// retention pass of the perf tests' namespace.
func RetestObjects(c *inventory.Cluster, gitops string, app Application) ([]any, error) {
	if c.PerfTests == nil {
		return nil, nil
	}
	pt := c.PerfTests
	run, data, err := retest(c, gitops, app)
	if err != nil {
		return nil, err
	}
	objs := []any{configMap(pt.Namespace, run.Name, PhaseRetest, data), perfrun.Job(run)}
	return append(objs, perfrun.Retention(pt.Namespace, pt.KeepRuns, pt.KeepResults, []string{BaselineName(), run.Name})...), nil
}

// RetestName is the name of the cluster's current re-test: Series(retest)
// and the hash of its inputs.
func RetestName(c *inventory.Cluster) (string, error) {
	run, _, err := retest(c, "", func(string) string { return "" })
	return run.Name, err
}

// retest is the re-test run, named after the hash of its inputs, and its
// ConfigMap's data.
func retest(c *inventory.Cluster, gitops string, app Application) (perfrun.Run, map[string]string, error) {
	pt := c.PerfTests
	data, err := configMapData(c, PhaseRetest)
	if err != nil {
		return perfrun.Run{}, nil, fmt.Errorf("cluster %s: %s kube-burner config: %w", c.Name, PhaseRetest, err)
	}
	np := c.Pool(pt.NodePool)
	run := perfrun.Run{
		Series: Series(PhaseRetest), Namespace: pt.Namespace, ServiceAccount: ServiceAccountName, Retained: true,
		Results:         perfrun.Results(c, np, PhaseRetest, testKubeBurner, Series(PhaseRetest), true),
		Waits:           perfrun.PoolWaits(c, np),
		GitOpsNamespace: gitops, Application: app(PhaseRetest),
		Pod: kubeBurnerPod(),
	}
	// Where the revision is read from is left out: a run's inputs are the same
	// whatever syncs it.
	hashed := withTest(run, "")
	hashed.Application, hashed.GitOpsNamespace = "", ""
	if run.Name, err = perfrun.Name(run.Series, perfrun.PoolInputs(c, np), data, perfrun.Job(hashed)); err != nil {
		return perfrun.Run{}, nil, err
	}
	return withTest(run, run.Name), data, nil
}

// baseline is the Test's ConfigMap and Job. It waits for nothing: it
// syncs after the pools' MachineSets are healthy and before any tuning.
func baseline(c *inventory.Cluster, gitops, app string) ([]any, error) {
	data, err := configMapData(c, PhaseBaseline)
	if err != nil {
		return nil, fmt.Errorf("cluster %s: %s kube-burner config: %w", c.Name, PhaseBaseline, err)
	}
	ns, name := c.PerfTests.Namespace, BaselineName()
	run := withTest(perfrun.Run{
		Name: name, Series: Series(PhaseBaseline), Namespace: ns, ServiceAccount: ServiceAccountName, Retained: true,
		Results:         perfrun.Results(c, c.Pool(c.PerfTests.NodePool), PhaseBaseline, testKubeBurner, Series(PhaseBaseline), false),
		GitOpsNamespace: gitops, Application: app,
		Pod: kubeBurnerPod(),
	}, name)
	return []any{configMap(ns, name, PhaseBaseline, data), perfrun.Job(run)}, nil
}

func configMap(ns, name, phase string, data map[string]string) kube.ConfigMap {
	return kube.ConfigMap{
		TypeMeta: kube.TypeMeta{APIVersion: kube.CoreAPIVersion, Kind: "ConfigMap"},
		Metadata: kube.ObjectMeta{Name: name, Namespace: ns, Labels: kube.Labels(map[string]string{PhaseLabel: phase})},
		Data:     data,
	}
}

// withTest sets the run's test: kube-burner init on the ConfigMap named
// after the run.
func withTest(r perfrun.Run, configMap string) perfrun.Run {
	r.Test = kubeBurnerContainer(r.Namespace, configMap)
	return r
}

// kubeBurnerPod is what the kube-burner pod needs beyond a run's own
// containers: the restricted security profile and a writable work
// directory for the config kube-burner copies from its ConfigMap.
func kubeBurnerPod() kube.PodSpec {
	yes := true
	return kube.PodSpec{
		SecurityContext: &kube.PodSecurityContext{RunAsNonRoot: &yes, SeccompProfile: &kube.SeccompProfile{Type: "RuntimeDefault"}},
		Volumes:         []kube.Volume{{Name: "work", EmptyDir: &kube.EmptyDirVolumeSource{}}},
	}
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

// kubeBurnerContainer runs `kube-burner init` on a ConfigMap. kube-burner
// writes the ConfigMap's files into its working directory, which must be
// writable: an emptyDir. Its exit status is the run's verdict: 4 when a
// threshold is not met.
func kubeBurnerContainer(ns, configMap string) kube.Container {
	no := false
	return kube.Container{
		Name:       "kube-burner",
		Image:      inventory.ImageKubeBurner,
		Args:       []string{"kube-burner", "init", "--configmap", configMap, "--namespace", ns, "--skip-log-file"},
		WorkingDir: workDir,
		Resources: kube.ResourceRequirements{
			Requests: map[string]string{"cpu": "200m", "memory": "256Mi"},
			Limits:   map[string]string{"memory": "1Gi"},
		},
		SecurityContext: &kube.SecurityContext{AllowPrivilegeEscalation: &no, Capabilities: &kube.Capabilities{Drop: []string{"ALL"}}},
		VolumeMounts:    []kube.VolumeMount{{Name: "work", MountPath: workDir}},
	}
}

package virt

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/perfrun"
	"github.com/lowlat/lowlat/generator/tuning"
)

// LatencyTestServiceAccount runs the test pods. They are privileged: the
// tests run SCHED_FIFO threads and write /dev/cpu_dma_latency.
const LatencyTestServiceAccount = "lowlat-latency-test"

// privilegedSCCRole is the ClusterRole OpenShift defines for using the
// privileged SecurityContextConstraints.
const privilegedSCCRole = "system:openshift:scc:privileged"

// multusAnnotation lists the pod's secondary networks, "<ns>/<name>,...".
const multusAnnotation = "k8s.v1.cni.cncf.io/networks"

// runners are the wrappers in the latency test image: each puts the test's
// main thread on the pod's first CPU (leaving its SMT sibling idle) and
// measures the pod's other CPUs, which are only known once the CPU manager
// has assigned them. Flags as in openshift-kni/cnf-tests cmd/*-runner.
var runners = map[string]func(seconds string) []string{
	"oslat": func(s string) []string {
		return []string{"/usr/bin/oslat-runner", "-runtime=" + s, "-rt-priority=1"}
	},
	"cyclictest": func(s string) []string {
		return []string{"/usr/bin/cyclictest-runner", "-duration=" + s, "-rt-priority=95", "-interval=1000", "-histogram=30"}
	},
}

// TestPodFor renders an oslat or cyclictest pod. It runs once (restartPolicy
// Never) and leaves its report in the pod log.
func TestPodFor(c *inventory.Cluster, pod *inventory.Pod) (kube.Pod, error) {
	np := c.Pool(pod.NodePool)
	runner, known := runners[pod.Test]
	if np == nil || !known {
		return kube.Pod{}, fmt.Errorf("pod %s: unknown node pool %q or test %q", pod.Name, pod.NodePool, pod.Test)
	}
	d, err := time.ParseDuration(pod.Duration)
	if err != nil {
		return kube.Pod{}, fmt.Errorf("pod %s: duration: %w", pod.Name, err)
	}
	cmd := runner(strconv.Itoa(int(d / time.Second)))
	annotations := CRIOAnnotations()
	if nads, err := nadList(c, pod.Networks); err != nil {
		return kube.Pod{}, fmt.Errorf("pod %s: %w", pod.Name, err)
	} else if nads != "" {
		annotations[multusAnnotation] = nads
	}
	out := kube.Pod{
		TypeMeta: kube.TypeMeta{APIVersion: kube.CoreAPIVersion, Kind: "Pod"},
		Metadata: kube.ObjectMeta{Name: pod.Name, Namespace: c.Workloads.Namespace,
			Labels: kube.Labels(map[string]string{"lowlat.dev/test": pod.Test}), Annotations: annotations},
		Spec: kube.PodSpec{
			RuntimeClassName:   tuning.RuntimeClass(np),
			NodeSelector:       tuning.NodeSelector(np),
			Tolerations:        tuning.Tolerations(np),
			RestartPolicy:      "Never",
			ServiceAccountName: LatencyTestServiceAccount,
			Containers: []kube.Container{{
				Name: pod.Test, Image: pod.Image, Command: cmd[:1], Args: cmd[1:],
				Resources:       guaranteed(pod),
				SecurityContext: &kube.SecurityContext{Privileged: ptr(true)},
			}},
		},
	}
	if pod.Hugepages != nil {
		mountHugepages(&out.Spec, pod.Hugepages.Size)
	}
	return out, nil
}

// guaranteed sets requests equal to limits with whole CPUs: the Guaranteed
// QoS class, the only one the CPU manager gives exclusive CPUs.
func guaranteed(pod *inventory.Pod) kube.ResourceRequirements {
	res := map[string]string{"cpu": strconv.Itoa(pod.CPUs), "memory": pod.Memory}
	if hp := pod.Hugepages; hp != nil {
		res["hugepages-"+hp.Size] = hp.Memory
	}
	return kube.ResourceRequirements{Requests: res, Limits: copyMap(res)}
}

func mountHugepages(spec *kube.PodSpec, size string) {
	spec.Volumes = append(spec.Volumes, kube.Volume{Name: "hugepages", EmptyDir: &kube.EmptyDirVolumeSource{Medium: "HugePages-" + size}})
	spec.Containers[0].VolumeMounts = append(spec.Containers[0].VolumeMounts, kube.VolumeMount{Name: "hugepages", MountPath: "/dev/hugepages"})
}

func nadList(c *inventory.Cluster, names []string) (string, error) {
	var out []string
	for _, name := range names {
		n := c.Network(name)
		if n == nil {
			return "", fmt.Errorf("no network %q in cluster %s", name, c.Name)
		}
		out = append(out, NADName(c, n))
	}
	return strings.Join(out, ","), nil
}

func ptr[T any](v T) *T { return &v }

// TestPodAccess renders the test pods' ServiceAccount and the RoleBinding
// that lets it use the privileged SCC, in the workloads namespace only.
func TestPodAccess(namespace string) []any {
	return []any{
		kube.NewServiceAccount(LatencyTestServiceAccount, namespace),
		kube.RoleBinding{
			TypeMeta: kube.TypeMeta{APIVersion: kube.RBACAPIVersion, Kind: "RoleBinding"},
			Metadata: kube.ObjectMeta{Name: LatencyTestServiceAccount + "-privileged", Namespace: namespace, Labels: kube.Labels(nil)},
			RoleRef:  kube.RoleRef{APIGroup: kube.RBACGroup, Kind: "ClusterRole", Name: privilegedSCCRole},
			Subjects: []kube.Subject{kube.AccountSubject(LatencyTestServiceAccount, namespace)},
		},
	}
}

// TestRunFor renders an oslat or cyclictest pod as a measured run (package
// perfrun): Job <pod name>-<hash of its inputs>, so that a change of the
// pool's tuning, networks or workloads, or of the test, runs it again once
// the pool runs the change. The test is TestPodFor's container, with its
// exclusive CPUs; lowlat's own containers keep the pod Guaranteed. Its
// report (per measured CPU: minimum, average and maximum latency) comes
// home with the other results as latency.json.
func TestRunFor(c *inventory.Cluster, pod *inventory.Pod, gitops, app string) (kube.Job, error) {
	tp, err := TestPodFor(c, pod)
	if err != nil {
		return kube.Job{}, err
	}
	np := c.Pool(pod.NodePool)
	spec := tp.Spec
	test := spec.Containers[0]
	spec.Containers, spec.RestartPolicy, spec.ServiceAccountName = nil, "", ""
	run := perfrun.Run{
		Series: pod.Name, Namespace: c.Workloads.Namespace, ServiceAccount: LatencyTestServiceAccount, Retained: true,
		Results:         perfrun.Results(c, np, perfrun.PhaseLatency, pod.Test, pod.Name, true),
		Waits:           perfrun.PoolWaits(c, np),
		Test:            test,
		GitOpsNamespace: gitops,
		Pod:             spec, PodAnnotations: tp.Metadata.Annotations,
		Guaranteed: true,
	}
	if run.Name, err = perfrun.Name(run.Series, perfrun.PoolInputs(c, np), tp, perfrun.Job(run)); err != nil {
		return kube.Job{}, err
	}
	run.Application = app
	job := perfrun.Job(run)
	job.Metadata.Labels["lowlat.dev/test"] = pod.Test
	return job, nil
}

// TestRunNames names the cluster's latency test runs.
func TestRunNames(c *inventory.Cluster) ([]string, error) {
	var out []string
	for i := range c.Workloads.Pods {
		job, err := TestRunFor(c, &c.Workloads.Pods[i], "", "")
		if err != nil {
			return nil, err
		}
		out = append(out, job.Metadata.Name)
	}
	return out, nil
}

// waitRules are what the runs' waits read: the pools' MachineConfigPools
// and the nodes' VFs.
var waitRules = []kube.PolicyRule{
	{APIGroups: []string{""}, Resources: []string{"nodes"}, Verbs: []string{"get", "list", "watch"}},
	{APIGroups: []string{"machineconfiguration.openshift.io"}, Resources: []string{"machineconfigpools"}, Verbs: []string{"get", "list", "watch"}},
}

// TestRunAccess renders what the latency test runs need besides
// TestPodAccess: reading the pools and nodes they wait for, writing their
// results, the run scripts, and the namespace's retention pass.
func TestRunAccess(c *inventory.Cluster, keepRuns, keepResults int) ([]any, error) {
	ns := c.Workloads.Namespace
	names, err := TestRunNames(c)
	if err != nil {
		return nil, err
	}
	role, binding := kube.ClusterRoleGrant(kube.ObjectMeta{Name: LatencyTestServiceAccount + "-" + ns, Labels: kube.Labels(nil)}, waitRules, kube.AccountSubject(LatencyTestServiceAccount, ns))
	out := []any{role, binding, perfrun.Scripts(ns)}
	out = append(out, perfrun.Rights(ns, LatencyTestServiceAccount)...)
	return append(out, perfrun.Retention(ns, keepRuns, keepResults, names)...), nil
}

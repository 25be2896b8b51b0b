package perftest

import (
	"fmt"

	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/tuning"
	"github.com/lowlat/lowlat/generator/virt"
)

// podTemplate is the pod-density job's pod: a pause container on the
// tuned pool, with a small request and no runtime class, so that it starts
// the same way before and after the PerformanceProfile exists and the job
// times the platform (scheduling, CRI-O, networking), not an app. It passes
// the restricted pod security profile.
func podTemplate(c *inventory.Cluster) ([]byte, error) {
	np := c.Pool(c.PerfTests.NodePool)
	if np == nil {
		return nil, fmt.Errorf("perf tests: no node pool %q in cluster %s", c.PerfTests.NodePool, c.Name)
	}
	return podOn(np, tuning.NodeSelector(np))
}

// podOn is the pod-density pod placed by nodes, tolerating the pool's
// taints.
func podOn(np *inventory.NodePool, nodes map[string]string) ([]byte, error) {
	yes, no := true, false
	pod := kube.Pod{
		TypeMeta: kube.TypeMeta{APIVersion: kube.CoreAPIVersion, Kind: "Pod"},
		Metadata: kube.ObjectMeta{Name: JobPodDensity + templateNameSuffix, Labels: kube.Labels(nil)},
		Spec: kube.PodSpec{
			NodeSelector:    nodes,
			Tolerations:     tuning.Tolerations(np),
			SecurityContext: &kube.PodSecurityContext{RunAsNonRoot: &yes, SeccompProfile: &kube.SeccompProfile{Type: "RuntimeDefault"}},
			Containers: []kube.Container{{
				Name:      "pause",
				Image:     inventory.ImagePause,
				Resources: kube.ResourceRequirements{Requests: map[string]string{"cpu": "10m", "memory": "16Mi"}, Limits: map[string]string{"memory": "16Mi"}},
				SecurityContext: &kube.SecurityContext{
					AllowPrivilegeEscalation: &no, Capabilities: &kube.Capabilities{Drop: []string{"ALL"}},
				},
			}},
		},
	}
	return yaml.Marshal(pod)
}

// vmTemplate is the vmi-latency job's VM: the perf tests' template VM, with
// its dedicated CPUs, hugepages and NUMA passthrough, started at once.
func vmTemplate(c *inventory.Cluster) ([]byte, error) {
	tmpl := c.VM(c.PerfTests.VMTemplate)
	if tmpl == nil {
		return nil, fmt.Errorf("perf tests: no VM %q in cluster %s", c.PerfTests.VMTemplate, c.Name)
	}
	vm, err := virt.LatencyVirtualMachine(c, tmpl, JobVMILatency+templateNameSuffix)
	if err != nil {
		return nil, err
	}
	return yaml.Marshal(vm)
}

package inventory

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// workloadsInventory is a valid inventory with a VM, a test pod, networks
// and perf tests on a c5.metal pool (2 NUMA nodes of 24 cores with SMT; 4
// reserved CPUs on node 0 leave 44 isolated there and 48 on node 1; 16 1G
// pages per node).
const workloadsInventory = `apiVersion: lowlat.dev/v1alpha1
kind: Inventory
metadata:
  name: test
spec:
  openshift:
    version: "4.22"
  clusters:
  - name: lab1
    region: us-east-2
    nodePools:
    - name: cnf
      instanceType: c5.metal
      replicas: 1
      machineSet: false
      tuning:
        reservedCPUs: 4
        hugepages:
        - {size: 1G, count: 16, node: 0}
        - {size: 1G, count: 16, node: 1}
    - name: plain
      instanceType: c5.metal
      replicas: 1
      machineSet: false
      tuning:
        reservedCPUs: 4
        topologyPolicy: best-effort
    networks:
    - name: vf-a
      subnetID: subnet-0abc1234def567890
      deviceType: vfio-pci
      ipam: {type: whereabouts, range: 10.10.0.0/24}
    - name: kernel-b
      subnetID: subnet-0abc1234def567891
      nodePools: [cnf]
      ipam: {type: whereabouts, range: 10.20.0.0/24}
    workloads:
      vms:
      - name: vm1
        nodePool: cnf
        cpus: 3
        memory: 8Gi
        hugepageSize: 1Gi
        networks: [vf-a]
      pods:
      - name: oslat1
        nodePool: cnf
        test: oslat
        cpus: 4
        networks: [kernel-b]
    perfTests:
      nodePool: cnf
      podDensity: 10
      vmiLatency: 2
      vmTemplate: vm1
      thresholds:
      - {measurement: podLatency, conditionType: Ready, metric: P99, threshold: 5s}
      - {measurement: vmiLatency, conditionType: VMIRunning, metric: P99, threshold: 30s}
`

func TestWorkloadsDefaults(t *testing.T) {
	inv, err := Parse([]byte(workloadsInventory), "inv.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	c := inv.Spec.Clusters[0]
	vm, pod := c.Workloads.VMs[0], c.Workloads.Pods[0]
	got := []any{c.Workloads.Namespace, c.PerfTests.Namespace, *vm.IsolateEmulatorThread, vm.IOThreadsPolicy,
		vm.Image, pod.Memory, pod.Duration, pod.Image}
	want := []any{"lowlat-workloads", "lowlat-perf", true, "auto",
		ImageFedoraContainerDisk, "1Gi", "5m", "registry.redhat.io/openshift4/cnf-tests-rhel9:v4.22"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}

// pathProblem is a problem's field path and a fragment of its message.
type pathProblem struct{ Path, Has string }

const (
	vm0  = "spec.clusters[0].workloads.vms[0]"
	pod0 = "spec.clusters[0].workloads.pods[0]"
	perf = "spec.clusters[0].perfTests"
)

func TestWorkloadsRejections(t *testing.T) {
	cases := []struct {
		name string
		edit func(string) string
		want []pathProblem
	}{
		{"a VM that fills the largest NUMA node exactly is accepted",
			edits("cpus: 3", "cpus: 47"),
			nil},
		{"more dedicated CPUs than one NUMA node isolates are rejected under single-numa-node",
			edits("cpus: 3", "cpus: 49"),
			[]pathProblem{{vm0 + ".cpus", "VM vm1 needs 50 dedicated CPUs (49 vCPUs + 1 emulator thread CPU) on one NUMA node under the single-numa-node policy, but pool cnf isolates at most 48 CPUs on one NUMA node (node 1)"}}},
		{"the emulator CPUs count against the NUMA node",
			edits("    workloads:\n", "    workloads:\n      alignCPUs: true\n", "cpus: 3", "cpus: 48"),
			[]pathProblem{{vm0 + ".cpus", "needs 50 dedicated CPUs (48 vCPUs + 2 emulator CPUs (alignCPUs))"}}},
		{"an odd CPU total with SMT under full-pcpus-only is rejected",
			edits("cpus: 3", "cpus: 4"),
			[]pathProblem{{vm0 + ".cpus", "VM vm1 needs 5 dedicated CPUs (4 vCPUs + 1 emulator thread CPU), an odd number, but pool cnf hands out whole cores only"}}},
		{"alignCPUs makes an even vCPU count whole cores",
			edits("    workloads:\n", "    workloads:\n      alignCPUs: true\n", "cpus: 3", "cpus: 4"),
			nil},
		{"without an isolated emulator thread the vCPUs alone must be even",
			edits("        hugepageSize: 1Gi\n        networks: [vf-a]\n", "        hugepageSize: 1Gi\n        networks: [vf-a]\n        isolateEmulatorThread: false\n"),
			[]pathProblem{{vm0 + ".cpus", "use an even number of vCPUs"}}},
		{"an odd CPU count is fine on a pool without single-numa-node",
			edits("      - name: oslat1\n        nodePool: cnf\n", "      - name: oslat1\n        nodePool: plain\n", "cpus: 4\n        networks: [kernel-b]", "cpus: 3"),
			nil},
		{"hugepages the profile does not reserve are rejected",
			edits("hugepageSize: 1Gi", "hugepageSize: 2Mi"),
			[]pathProblem{{vm0 + ".hugepageSize", "VM vm1 asks for 2Mi hugepages, but pool cnf's PerformanceProfile reserves no 2M pages (it reserves only 1G)"}}},
		{"more hugepages than one NUMA node holds are rejected",
			edits("memory: 8Gi", "memory: 17Gi"),
			[]pathProblem{{vm0 + ".memory", "VM vm1 needs 17 1Gi pages on one NUMA node, but pool cnf reserves 16 on one NUMA node"}}},
		{"memory that is not a whole number of pages is rejected",
			edits("memory: 8Gi", "memory: 8500Mi"),
			[]pathProblem{{vm0 + ".memory", "not a whole number of 1Gi pages"}}},
		{"a VM on a pool without hugepages cannot ask for them",
			edits("      vms:\n      - name: vm1\n        nodePool: cnf\n", "      vms:\n      - name: vm1\n        nodePool: plain\n"),
			[]pathProblem{
				{vm0 + ".hugepageSize", "VM vm1 asks for 1Gi hugepages, but pool plain's PerformanceProfile reserves no 1G pages (it reserves no hugepages)"},
				{perf + ".vmTemplate", "VM vm1 runs on pool plain, but the perf tests target pool cnf"},
			}},
		{"CPUs and hugepages on different NUMA nodes are rejected under single-numa-node",
			edits("        - {size: 1G, count: 16, node: 1}\n", "", "cpus: 3", "cpus: 45"),
			[]pathProblem{{vm0 + ".cpus", "VM vm1 needs 46 dedicated CPUs and 8 1Gi pages on the same NUMA node, but no NUMA node of pool cnf has both (isolated CPUs per node map[0:44 1:48], pages per node map[0:16])"}}},
		{"without single-numa-node the whole host's isolated CPUs count",
			edits("      - name: oslat1\n        nodePool: cnf\n", "      - name: oslat1\n        nodePool: plain\n", "cpus: 4\n        networks: [kernel-b]", "cpus: 93"),
			[]pathProblem{{pod0 + ".cpus", "pod oslat1 needs 93 dedicated CPUs (93 CPUs), but pool plain isolates only 92"}}},
		{"realtime without hugepages is rejected",
			edits("        hugepageSize: 1Gi\n", "        realtime: true\n"),
			[]pathProblem{{vm0 + ".realtime", "VM vm1 needs hugepageSize"}}},
		{"an unknown ioThreadsPolicy lists the supported ones",
			edits("        cpus: 3\n", "        cpus: 3\n        ioThreadsPolicy: dedicated\n"),
			[]pathProblem{{vm0 + ".ioThreadsPolicy", `"auto", "shared"`}}},
		{"a VM on an unknown pool is rejected",
			edits("      - name: vm1\n        nodePool: cnf\n", "      - name: vm1\n        nodePool: gpu\n", "      vmTemplate: vm1\n", ""),
			[]pathProblem{{vm0 + ".nodePool", "gpu"}, {perf + ".vmTemplate", "Required"}}},
		{"an SR-IOV network that does not exist is rejected",
			edits("networks: [vf-a]", "networks: [vf-z]"),
			[]pathProblem{{vm0 + ".networks[0]", "vf-z"}}},
		{"a VM cannot use a netdevice network",
			edits("networks: [vf-a]", "networks: [kernel-b]"),
			[]pathProblem{{vm0 + ".networks[0]", "VM vm1 cannot use network kernel-b: KubeVirt passes SR-IOV VFs through to VMs, which needs deviceType vfio-pci"}}},
		{"a network not configured on the pool is rejected",
			edits("      - name: oslat1\n        nodePool: cnf\n", "      - name: oslat1\n        nodePool: plain\n"),
			[]pathProblem{{pod0 + ".networks[0]", "pod oslat1 runs on pool plain, but network kernel-b is only configured on cnf"}}},
		{"VMs on two pools are rejected because the runtime class is cluster-wide",
			edits("      pods:\n", "      - {name: vm2, nodePool: plain, cpus: 2, memory: 2Gi}\n      pods:\n"),
			[]pathProblem{{"spec.clusters[0].workloads.vms[1].nodePool", "VM vm2 is on pool plain but VM vm1 is on cnf"}}},
		{"an image tagged latest is rejected",
			edits("        cpus: 3\n", "        cpus: 3\n        image: quay.io/containerdisks/fedora:latest\n"),
			[]pathProblem{{vm0 + ".image", "must pin a tag"}}},
		{"an untagged image is rejected",
			edits("        test: oslat\n", "        test: oslat\n        image: quay.io/example/oslat\n"),
			[]pathProblem{{pod0 + ".image", "must pin a tag"}}},
		{"a duplicate VM name is rejected",
			edits("      pods:\n", "      - {name: vm1, nodePool: cnf, cpus: 3, memory: 2Gi}\n      pods:\n"),
			[]pathProblem{{"spec.clusters[0].workloads.vms[1].name", "vm1"}}},
		{"a test pod with one CPU is rejected",
			edits("cpus: 4\n        networks: [kernel-b]", "cpus: 1\n        networks: [kernel-b]"),
			[]pathProblem{{pod0 + ".cpus", "pod oslat1 needs at least 2 CPUs"}}},
		{"an odd test pod CPU count is rejected under full-pcpus-only",
			edits("cpus: 4\n        networks: [kernel-b]", "cpus: 5\n        networks: [kernel-b]"),
			[]pathProblem{{pod0 + ".cpus", "use an even number of CPUs"}}},
		{"an unknown test lists the supported ones",
			edits("test: oslat", "test: stress"),
			[]pathProblem{{pod0 + ".test", `"cyclictest", "oslat"`}}},
		{"a bad duration is rejected",
			edits("        test: oslat\n", "        test: oslat\n        duration: five\n"),
			[]pathProblem{{pod0 + ".duration", "positive duration"}}},
		{"test pod hugepages the pool lacks are rejected",
			edits("        test: oslat\n", "        test: oslat\n        hugepages: {size: 2Mi, memory: 1Gi}\n"),
			[]pathProblem{{pod0 + ".hugepages.size", "pod oslat1 asks for 2Mi hugepages"}}},
		{"perf tests with no job are rejected",
			edits("      podDensity: 10\n      vmiLatency: 2\n      vmTemplate: vm1\n      thresholds:\n", "",
				"      - {measurement: podLatency, conditionType: Ready, metric: P99, threshold: 5s}\n      - {measurement: vmiLatency, conditionType: VMIRunning, metric: P99, threshold: 30s}\n", ""),
			[]pathProblem{{perf + ".podDensity", "set podDensity or vmiLatency"}}},
		{"vmiLatency needs a VM template",
			edits("      vmTemplate: vm1\n", ""),
			[]pathProblem{{perf + ".vmTemplate", "Required"}}},
		{"a VM template on another pool is rejected",
			edits("    perfTests:\n      nodePool: cnf\n", "    perfTests:\n      nodePool: plain\n"),
			[]pathProblem{{perf + ".vmTemplate", "VM vm1 runs on pool cnf, but the perf tests target pool plain"}}},
		{"a threshold on a condition kube-burner does not time is rejected",
			edits("conditionType: VMIRunning", "conditionType: Ready"),
			[]pathProblem{{perf + ".thresholds[1].conditionType", "VMIScheduled"}}},
		{"a threshold on a metric kube-burner does not support is rejected",
			edits("metric: P99, threshold: 5s", "metric: Min, threshold: 5s"),
			[]pathProblem{{perf + ".thresholds[0].metric", "P99"}}},
		{"a threshold that is not a duration is rejected",
			edits("threshold: 5s", "threshold: fast"),
			[]pathProblem{{perf + ".thresholds[0].threshold", "positive duration"}}},
		{"perf tests in the latency tests' namespace are rejected",
			edits("    perfTests:\n      nodePool: cnf\n", "    perfTests:\n      namespace: lowlat-workloads\n      nodePool: cnf\n"),
			[]pathProblem{{perf + ".namespace", "the latency tests run in lowlat-workloads"}}},
		{"negative retention counts are rejected",
			edits("      podDensity: 10\n", "      podDensity: 10\n      keepRuns: -1\n"),
			[]pathProblem{{perf + ".keepRuns", "must be at least 1"}}},
		{"a threshold for a job that does not run is rejected",
			edits("      vmiLatency: 2\n      vmTemplate: vm1\n", ""),
			[]pathProblem{{perf + ".thresholds[1].measurement", "no job takes this measurement"}}},
		{"an OpenShift version without operator channels lists the supported ones",
			edits(`version: "4.22"`, `version: "4.18"`),
			[]pathProblem{{"spec.openshift.version", `"4.19", "4.20", "4.21", "4.22"`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.edit(workloadsInventory)), "inv.yaml", ".")
			assertPathProblems(t, err, tc.want)
		})
	}
}

func assertPathProblems(t *testing.T, err error, want []pathProblem) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("want no problems, got %v", err)
		}
		return
	}
	var invErr *Error
	if !errors.As(err, &invErr) {
		t.Fatalf("want *inventory.Error, got %v", err)
	}
	if len(invErr.Problems) != len(want) {
		t.Fatalf("want %d problems, got:\n%v", len(want), err)
	}
	for i, w := range want {
		got := invErr.Problems[i]
		if got.Path != w.Path || !strings.Contains(got.Message, w.Has) {
			t.Errorf("problem %d: want path %q containing %q, got %s", i, w.Path, w.Has, got.String("inv.yaml"))
		}
	}
}

func TestEmulatorCPUs(t *testing.T) {
	on, off := true, false
	cases := []struct {
		name    string
		vm      VM
		align   bool
		wantCPU int
	}{
		{"no isolated emulator thread adds nothing", VM{CPUs: 4, IsolateEmulatorThread: &off}, true, 0},
		{"an isolated emulator thread adds one CPU", VM{CPUs: 4, IsolateEmulatorThread: &on}, false, 1},
		{"alignCPUs adds two to an even vCPU count", VM{CPUs: 4, IsolateEmulatorThread: &on}, true, 2},
		{"alignCPUs adds one to an odd vCPU count", VM{CPUs: 3, IsolateEmulatorThread: &on}, true, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := EmulatorCPUs(&tc.vm, tc.align); got != tc.wantCPU {
				t.Errorf("EmulatorCPUs = %d, want %d", got, tc.wantCPU)
			}
		})
	}
}

// edits applies old, new pairs in order; each must apply.
func edits(pairs ...string) func(string) string {
	return func(s string) string {
		for i := 0; i+1 < len(pairs); i += 2 {
			s = replace(pairs[i], pairs[i+1])(s)
		}
		return s
	}
}

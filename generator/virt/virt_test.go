package virt

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	kubevirtv1 "kubevirt.io/api/core/v1"

	"github.com/lowlat/lowlat/generator/inventory"
)

func loadCluster(t *testing.T) *inventory.Cluster {
	t.Helper()
	inv, err := inventory.Load(filepath.Join("testdata", "inventory.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return &inv.Spec.Clusters[0]
}

// strictDecode decodes what lowlat emits into an upstream type, failing on
// any field the upstream type does not have.
func strictDecode(t *testing.T, obj, into any) {
	t.Helper()
	data, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		t.Fatalf("%s does not decode into the upstream type: %v", data, err)
	}
}

func TestVirtualMachinesMeetKubeVirtsLowLatencyRules(t *testing.T) {
	c := loadCluster(t)
	for i := range c.Workloads.VMs {
		vm := &c.Workloads.VMs[i]
		t.Run(vm.Name, func(t *testing.T) {
			rendered, err := VirtualMachineFor(c, vm)
			if err != nil {
				t.Fatal(err)
			}
			var got kubevirtv1.VirtualMachine
			strictDecode(t, rendered, &got)
			checkLowLatencyVM(t, &got)
			if rs := got.Spec.RunStrategy; rs == nil || *rs != kubevirtv1.RunStrategyHalted {
				t.Errorf("runStrategy = %v, want Halted: workloads VMs are not started by a sync", rs)
			}
			if got.Namespace != c.Workloads.Namespace {
				t.Errorf("namespace = %q, want %q", got.Namespace, c.Workloads.Namespace)
			}
		})
	}
}

func TestLatencyVirtualMachineIsARunningCopyWithoutVFs(t *testing.T) {
	c := loadCluster(t)
	rendered, err := LatencyVirtualMachine(c, &c.Workloads.VMs[0], "vmi-latency-1-1")
	if err != nil {
		t.Fatal(err)
	}
	var got kubevirtv1.VirtualMachine
	strictDecode(t, rendered, &got)
	checkLowLatencyVM(t, &got)
	spec := got.Spec.Template.Spec
	if *got.Spec.RunStrategy != kubevirtv1.RunStrategyAlways || got.Namespace != "" || len(spec.Networks) != 1 {
		t.Errorf("want a running VM without namespace or SR-IOV networks, got runStrategy %v, namespace %q, networks %v",
			*got.Spec.RunStrategy, got.Namespace, spec.Networks)
	}
}

// checkLowLatencyVM applies KubeVirt's admission rules for dedicated CPUs,
// NUMA passthrough, real-time vCPUs and hugepages, and lowlat's own.
func checkLowLatencyVM(t *testing.T, vm *kubevirtv1.VirtualMachine) {
	t.Helper()
	spec := vm.Spec.Template.Spec
	d := spec.Domain
	cpu := d.CPU
	if cpu == nil || !cpu.DedicatedCPUPlacement {
		t.Fatal("dedicatedCpuPlacement is not set")
	}
	req, lim := d.Resources.Requests, d.Resources.Limits
	if !req.Cpu().Equal(*lim.Cpu()) || !req.Memory().Equal(*lim.Memory()) || req.Cpu().MilliValue()%1000 != 0 {
		t.Errorf("dedicated CPUs need Guaranteed resources with whole CPUs: requests %v, limits %v", req, lim)
	}
	if req.Cpu().Value() != int64(cpu.Cores*cpu.Sockets*cpu.Threads) {
		t.Errorf("cpu request %v differs from the %d vCPUs", req.Cpu(), cpu.Cores*cpu.Sockets*cpu.Threads)
	}
	hugepages := d.Memory != nil && d.Memory.Hugepages != nil
	passthrough := cpu.NUMA != nil && cpu.NUMA.GuestMappingPassthrough != nil
	if passthrough != hugepages {
		t.Errorf("guestMappingPassthrough (%v) needs hugepages (%v), and lowlat sets it with them", passthrough, hugepages)
	}
	if cpu.Realtime != nil && !passthrough {
		t.Error("realtime needs guestMappingPassthrough")
	}
	if hugepages {
		page := resource.MustParse(d.Memory.Hugepages.PageSize)
		if req.Memory().Value()%page.Value() != 0 {
			t.Errorf("memory %v is not a multiple of the page size %s", req.Memory(), d.Memory.Hugepages.PageSize)
		}
	}
	if d.IOThreadsPolicy == nil {
		t.Error("ioThreadsPolicy is not set on the domain")
	}
	if diff := cmp.Diff(CRIOAnnotations(), vm.Spec.Template.ObjectMeta.Annotations); diff != "" {
		t.Errorf("VMI annotations (-want +got):\n%s", diff)
	}
	if len(spec.NodeSelector) == 0 {
		t.Error("no nodeSelector")
	}
	checkDevices(t, &spec)
}

// checkDevices pairs every interface with a network and every disk with a
// volume, and requires a containerDisk to boot from.
func checkDevices(t *testing.T, spec *kubevirtv1.VirtualMachineInstanceSpec) {
	t.Helper()
	networks := map[string]kubevirtv1.Network{}
	for _, n := range spec.Networks {
		networks[n.Name] = n
	}
	for _, iface := range spec.Domain.Devices.Interfaces {
		n, ok := networks[iface.Name]
		switch {
		case !ok:
			t.Errorf("interface %s has no network", iface.Name)
		case iface.SRIOV != nil && (n.Multus == nil || !bytes.ContainsRune([]byte(n.Multus.NetworkName), '/')):
			t.Errorf("SR-IOV interface %s needs a Multus network named <namespace>/<name>, got %+v", iface.Name, n)
		}
	}
	volumes := map[string]kubevirtv1.Volume{}
	for _, v := range spec.Volumes {
		volumes[v.Name] = v
	}
	for _, disk := range spec.Domain.Devices.Disks {
		if _, ok := volumes[disk.Name]; !ok {
			t.Errorf("disk %s has no volume", disk.Name)
		}
	}
	if v, ok := volumes[bootDisk]; !ok || v.ContainerDisk == nil || v.ContainerDisk.Image == "" {
		t.Error("no containerDisk to boot from")
	}
}

func TestTestPodsAreGuaranteedOnTheTunedPool(t *testing.T) {
	c := loadCluster(t)
	for i := range c.Workloads.Pods {
		p := &c.Workloads.Pods[i]
		t.Run(p.Name, func(t *testing.T) {
			rendered, err := TestPodFor(c, p)
			if err != nil {
				t.Fatal(err)
			}
			var got corev1.Pod
			strictDecode(t, rendered, &got)
			res := got.Spec.Containers[0].Resources
			if diff := cmp.Diff(res.Requests, res.Limits); diff != "" || res.Requests.Cpu().MilliValue()%1000 != 0 {
				t.Errorf("Guaranteed QoS needs requests = limits with whole CPUs (-requests +limits):\n%s", diff)
			}
			if got.Spec.RuntimeClassName == nil || *got.Spec.RuntimeClassName != "performance-cnf" {
				t.Errorf("runtimeClassName = %v, want performance-cnf", got.Spec.RuntimeClassName)
			}
			for k, v := range CRIOAnnotations() {
				if got.Annotations[k] != v {
					t.Errorf("annotation %s = %q, want %q", k, got.Annotations[k], v)
				}
			}
			if got.Spec.NodeSelector["node-role.kubernetes.io/cnf"] != "" || len(got.Spec.NodeSelector) != 1 {
				t.Errorf("nodeSelector = %v", got.Spec.NodeSelector)
			}
		})
	}
}

func TestTestPodCommandLines(t *testing.T) {
	c := loadCluster(t)
	cases := []struct {
		name string
		pod  int
		want []string
	}{
		{"oslat runs for the duration in seconds", 0, []string{"/usr/bin/oslat-runner", "-runtime=90", "-rt-priority=1"}},
		{"cyclictest runs for the default five minutes", 1,
			[]string{"/usr/bin/cyclictest-runner", "-duration=300", "-rt-priority=95", "-interval=1000", "-histogram=30"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := TestPodFor(c, &c.Workloads.Pods[tc.pod])
			if err != nil {
				t.Fatal(err)
			}
			got := append(append([]string{}, p.Spec.Containers[0].Command...), p.Spec.Containers[0].Args...)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("command (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTestPodAccessDecodes(t *testing.T) {
	objs := TestPodAccess("lowlat-workloads")
	var sa corev1.ServiceAccount
	strictDecode(t, objs[0], &sa)
	var rb rbacv1.RoleBinding
	strictDecode(t, objs[1], &rb)
	if rb.RoleRef.Name != "system:openshift:scc:privileged" || rb.Subjects[0].Name != sa.Name {
		t.Errorf("binding %+v does not grant the privileged SCC to %s", rb, sa.Name)
	}
}

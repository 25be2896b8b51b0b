package inventory

import (
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/lowlat/lowlat/generator/advise"
	"github.com/lowlat/lowlat/generator/catalog"
)

// Advice returns what lowlat advise decided for the cluster's workloads
// with needs: apps, then VMs, then pods, each in inventory order.
func (c *Cluster) Advice() []advise.Advice { return c.Workloads.advice }

// recordSettings keeps what each VM and pod with needs sets, before
// Default fills the rest: the advice derives only what was left unset.
func recordSettings(inv *Inventory) {
	for c := range inv.Spec.Clusters {
		w := &inv.Spec.Clusters[c].Workloads
		for i := range w.VMs {
			if vm := &w.VMs[i]; vm.Needs != nil {
				vm.set = &advise.Settings{Pool: vm.NodePool, IsolateEmulatorThread: vm.IsolateEmulatorThread,
					HugepageSize: vm.HugepageSize, Networks: vm.Networks, IOThreadsPolicy: vm.IOThreadsPolicy}
			}
		}
		for i := range w.Pods {
			if pod := &w.Pods[i]; pod.Needs != nil {
				pod.set = &advise.Settings{Pool: pod.NodePool, Networks: pod.Networks}
				if pod.Hugepages != nil {
					pod.set.HugepageSize = pod.Hugepages.Size
				}
			}
		}
	}
}

// adviseWorkloads decides for every workload with needs, applies what it
// derives to the VMs and pods, and reports its problems on the fields a
// user would change.
func adviseWorkloads(inv *Inventory) field.ErrorList {
	var errs field.ErrorList
	for i := range inv.Spec.Clusters {
		c := &inv.Spec.Clusters[i]
		wp := field.NewPath("spec", "clusters").Index(i).Child("workloads")
		a := adviser{cluster: c, pools: advisePools(c)}
		c.Workloads.advice = nil
		errs = append(errs, a.apps(wp.Child("apps"))...)
		errs = append(errs, a.vms(wp.Child("vms"))...)
		errs = append(errs, a.pods(wp.Child("pods"))...)
	}
	return errs
}

type adviser struct {
	cluster *Cluster
	pools   []advise.Pool
}

// decide advises on one workload, keeps the advice and locates its
// problems under p; ok is false when it has problems or invalid needs.
func (a adviser) decide(name string, kind advise.Kind, needs *Needs, set advise.Settings, p *field.Path) (advise.Advice, bool, field.ErrorList) {
	levels, valid := needs.parse()
	if !valid {
		return advise.Advice{}, false, nil // validation reports the level
	}
	adv := advise.Decide(a.cluster.Name, advise.Workload{Name: name, Kind: kind, Needs: levels, Set: set}, a.pools)
	a.cluster.Workloads.advice = append(a.cluster.Workloads.advice, adv)
	var errs field.ErrorList
	for _, pr := range adv.Problems {
		at := p
		for _, part := range strings.Split(pr.Field, ".") {
			at = at.Child(part)
		}
		errs = append(errs, field.Invalid(at, field.OmitValueType{}, pr.Message))
	}
	return adv, len(errs) == 0, errs
}

func (a adviser) apps(p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range a.cluster.Workloads.Apps {
		app := &a.cluster.Workloads.Apps[i]
		set := advise.Settings{Platform: advise.Platform(app.Platform), Pool: app.NodePool}
		_, _, e := a.decide(app.Name, advise.KindApp, &app.Needs, set, p.Index(i))
		errs = append(errs, e...)
	}
	return errs
}

func (a adviser) vms(p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range a.cluster.Workloads.VMs {
		vm := &a.cluster.Workloads.VMs[i]
		if vm.set == nil {
			continue
		}
		adv, ok, e := a.decide(vm.Name, advise.KindVM, vm.Needs, *vm.set, p.Index(i))
		errs = append(errs, e...)
		if ok {
			applyVM(vm, &adv)
		}
	}
	return errs
}

func (a adviser) pods(p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range a.cluster.Workloads.Pods {
		pod := &a.cluster.Workloads.Pods[i]
		if pod.set == nil {
			continue
		}
		adv, ok, e := a.decide(pod.Name, advise.KindPod, pod.Needs, *pod.set, p.Index(i))
		errs = append(errs, e...)
		if ok {
			applyPod(pod, &adv)
		}
	}
	return errs
}

// applyVM sets the derived knobs the VM left unset; explicit ones stay.
func applyVM(vm *VM, adv *advise.Advice) {
	vm.NodePool = adv.Pool
	if k := adv.Knob("isolateEmulatorThread"); k != nil && k.Source == advise.Derived {
		vm.IsolateEmulatorThread = ptr(k.Value == "true")
	}
	if k := adv.Knob("ioThreadsPolicy"); k != nil && k.Source == advise.Derived {
		vm.IOThreadsPolicy = k.Value
	}
	if k := adv.Knob("hugepages"); k != nil && k.Source == advise.Derived {
		vm.HugepageSize = k.Value
	}
	if k := adv.Knob("sriov"); k != nil && k.Source == advise.Derived {
		vm.Networks = []string{k.Value}
	}
}

// applyPod sets the derived pool, network and hugepages (the pod's memory,
// in pages of the derived size) the pod left unset.
func applyPod(pod *Pod, adv *advise.Advice) {
	pod.NodePool = adv.Pool
	if k := adv.Knob("hugepages"); k != nil && k.Source == advise.Derived {
		pod.Hugepages = &PodHugepages{Size: k.Value, Memory: pod.Memory}
	}
	if k := adv.Knob("sriov"); k != nil && k.Source == advise.Derived {
		pod.Networks = []string{k.Value}
	}
}

// advisePools describes the cluster's pools for the advice; a pool whose
// instance type is unknown is left out (validation reports it).
func advisePools(c *Cluster) []advise.Pool {
	var out []advise.Pool
	for _, np := range c.NodePools {
		it, err := catalog.Lookup(np.InstanceType)
		if err != nil {
			continue
		}
		pl := advise.Pool{Name: np.Name, InstanceType: it, Replicas: np.Replicas, HugepageSizes: kubeSizes(np.Tuning.Hugepages)}
		for _, n := range c.Networks {
			if len(n.NodePools) == 0 || containsString(n.NodePools, np.Name) {
				pl.Networks = append(pl.Networks, advise.Network{Name: n.Name, DeviceType: n.DeviceType})
			}
		}
		out = append(out, pl)
	}
	return out
}

// kubeSizes lists the profile's page sizes in Kubernetes spelling, sorted.
func kubeSizes(pages []Hugepages) []string {
	var out []string
	for _, size := range KubeVirtHugepageSizes {
		for _, hp := range pages {
			if ProfilePageSize[size] == hp.Size && hp.Count > 0 {
				out = append(out, size)
				break
			}
		}
	}
	return out
}

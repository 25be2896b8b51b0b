package twin

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

const cnvNamespace = "openshift-cnv"

// kubeVirt plays the HyperConverged Cluster Operator and virt-controller:
// a HyperConverged turns Available once its operands have deployed (the
// hyperconverged duration), and a VirtualMachine reports the status
// virt-controller gives it: Stopped when its run strategy halts it,
// Running once KubeVirt is available otherwise.
type kubeVirt struct {
	t *Twin

	mu   sync.Mutex
	seen map[string]time.Duration
	was  map[string]string
}

func newKubeVirt(t *Twin) *kubeVirt {
	return &kubeVirt{t: t, seen: map[string]time.Duration{}, was: map[string]string{}}
}

func (k *kubeVirt) name() string { return "kubevirt" }

func (k *kubeVirt) reconcile(ctx context.Context, s *snapshot) error {
	if !k.t.olm.isServing("kubevirt-hyperconverged") {
		return nil
	}
	available := false
	for i := range s.list(gvrHyperConverged) {
		hc := &s.list(gvrHyperConverged)[i]
		ok, err := k.hyperConverged(ctx, hc)
		if err != nil {
			return err
		}
		available = available || ok
	}
	for i := range s.list(gvrVM) {
		if err := k.vm(ctx, &s.list(gvrVM)[i], available); err != nil {
			return err
		}
	}
	return nil
}

func (k *kubeVirt) hyperConverged(ctx context.Context, hc *unstructured.Unstructured) (bool, error) {
	key := hc.GetNamespace() + "/" + hc.GetName()
	now := k.t.clock.Elapsed()
	k.mu.Lock()
	t0, ok := k.seen[key]
	if !ok {
		t0 = now
		k.seen[key] = now
	}
	k.mu.Unlock()
	ready := now >= t0+k.t.spec.Durations.HyperConverged
	state := map[bool]string{true: "Available", false: "Progressing"}[ready]
	if !k.changed(key, state) && hc.Object["status"] != nil {
		return ready, nil
	}
	k.t.rec.Add(timeline.Event{Kind: timeline.Operator, Resource: "HyperConverged " + key, Status: state})
	conds := []condition{
		{"Available", "False", "Reconciling", "Deploying the operands"}, {"Progressing", "True", "Reconciling", "Deploying the operands"},
		{"Degraded", "False", "Reconciling", ""}, {"ReconcileComplete", "False", "Reconciling", ""}, {"Upgradeable", "False", "Reconciling", ""},
	}
	if ready {
		conds = []condition{
			{"Available", "True", "ReconcileCompleted", "Reconcile completed successfully"}, {"Progressing", "False", "ReconcileCompleted", "Reconcile completed successfully"},
			{"Degraded", "False", "ReconcileCompleted", "Reconcile completed successfully"}, {"ReconcileComplete", "True", "ReconcileCompleted", "Reconcile completed successfully"},
			{"Upgradeable", "True", "ReconcileCompleted", "Reconcile completed successfully"},
		}
	}
	obj := object("hco.kubevirt.io/v1beta1", "HyperConverged", hc.GetNamespace(), hc.GetName())
	obj["status"] = map[string]any{"conditions": k.t.conditions(hc, conds...)}
	return ready, k.t.applyStatus(ctx, k.name(), gvrHyperConverged, obj)
}

func (k *kubeVirt) changed(key, state string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.was[key] == state {
		return false
	}
	k.was[key] = state
	return true
}

func (k *kubeVirt) vm(ctx context.Context, vm *unstructured.Unstructured, available bool) error {
	key := vm.GetNamespace() + "/" + vm.GetName()
	strategy := mustString(vm.Object, "spec", "runStrategy")
	if running, found, _ := unstructured.NestedBool(vm.Object, "spec", "running"); found {
		strategy = map[bool]string{true: "Always", false: "Halted"}[running]
	}
	var st map[string]any
	switch {
	case strategy == "Halted" || strategy == "Manual":
		st = map[string]any{"printableStatus": "Stopped", "conditions": k.t.conditions(vm,
			condition{"Ready", "False", "VMINotExists", "VMI does not exist"})}
	case !available:
		return nil
	default:
		st = map[string]any{"printableStatus": "Running", "created": true, "ready": true, "conditions": k.t.conditions(vm,
			condition{"Ready", "True", "", ""})}
	}
	if !k.changed(key, st["printableStatus"].(string)) && vm.Object["status"] != nil {
		return nil
	}
	k.t.rec.Add(timeline.Event{Kind: timeline.Run, Resource: "VirtualMachine " + key, Status: st["printableStatus"].(string)})
	obj := object("kubevirt.io/v1", "VirtualMachine", vm.GetNamespace(), vm.GetName())
	obj["status"] = st
	return k.t.applyStatus(ctx, k.name(), gvrVM, obj)
}

// admitHyperConverged is the HCO webhook's namespace rule: the
// HyperConverged must live in the operator's namespace.
func admitHyperConverged(_ *Twin, req *admissionv1.AdmissionRequest) (bool, string) {
	var hc unstructured.Unstructured
	if err := json.Unmarshal(req.Object.Raw, &hc.Object); err != nil {
		return false, err.Error()
	}
	if req.Namespace != cnvNamespace {
		return false, "invalid namespace for v1beta1.HyperConverged - please use the " + cnvNamespace + " namespace"
	}
	return true, ""
}

package twin

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/lowlat/lowlat/generator/e2e"
	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// olmPackage is what the twin's catalog knows of one operator package:
// the CSV it installs, the kinds it brings and the validating webhook its
// deployment serves once running.
type olmPackage struct {
	csv   string // CSV name without the version suffix
	kinds [][2]string
	hook  *operatorHook
}

// operatorHook is an operator's validating webhook: OLM registers it while
// the CSV installs, and it answers only once the operator's pod runs.
type operatorHook struct {
	name  string // the webhook's qualified name
	rules []any
	admit func(t *Twin, req *admissionv1.AdmissionRequest) (bool, string)
}

// catalog is the packages of redhat-operators the twin can install.
var operatorCatalog = map[string]olmPackage{
	"sriov-network-operator": {
		csv: "sriov-network-operator",
		kinds: [][2]string{
			{"sriovnetwork.openshift.io", "SriovNetworkNodePolicy"},
			{"sriovnetwork.openshift.io", "SriovNetworkNodeState"},
			{"sriovnetwork.openshift.io", "SriovOperatorConfig"},
		},
		hook: &operatorHook{
			name: "operator-webhook.sriovnetwork.openshift.io",
			rules: []any{
				rule("sriovnetwork.openshift.io", "v1", "sriovnetworknodepolicies", "CREATE", "UPDATE"),
				rule("sriovnetwork.openshift.io", "v1", "sriovoperatorconfigs", "CREATE", "UPDATE"),
			},
			admit: admitSRIOV,
		},
	},
	"kubevirt-hyperconverged": {
		csv: "kubevirt-hyperconverged-operator",
		kinds: [][2]string{
			{"hco.kubevirt.io", "HyperConverged"},
			{"kubevirt.io", "VirtualMachine"},
			{"kubevirt.io", "VirtualMachineInstance"},
		},
		hook: &operatorHook{
			name:  "validate-hco.kubevirt.io",
			rules: []any{rule("hco.kubevirt.io", "v1beta1", "hyperconvergeds", "CREATE", "UPDATE")},
			admit: admitHyperConverged,
		},
	},
}

// olm plays the Operator Lifecycle Manager: a Subscription in a namespace
// with an OperatorGroup gets an InstallPlan, which after the install-plan
// duration creates the package's CRDs and its CSV; the CSV turns
// Succeeded, and the operator's webhook starts answering, after the
// operator-start duration. A package named in the stuck-operator fault
// stays Installing for ever.
type olm struct {
	t *Twin

	mu      sync.Mutex
	started map[string]time.Duration // subscription → modelled time seen
	phase   map[string]string        // subscription → last phase reported
	serving map[string]bool          // package → webhook answering
	done    map[string]bool          // subscription → InstallPlan executed
}

func newOLM(t *Twin) *olm {
	return &olm{t: t, started: map[string]time.Duration{}, phase: map[string]string{}, serving: map[string]bool{}, done: map[string]bool{}}
}

func (o *olm) name() string { return "olm" }

func (o *olm) isServing(pkg string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.serving[pkg]
}

func (o *olm) reconcile(ctx context.Context, s *snapshot) error {
	for i := range s.list(gvrSubscription) {
		sub := &s.list(gvrSubscription)[i]
		if err := o.subscription(ctx, s, sub); err != nil {
			return err
		}
	}
	return nil
}

func (o *olm) subscription(ctx context.Context, s *snapshot, sub *unstructured.Unstructured) error {
	ns, name := sub.GetNamespace(), sub.GetName()
	pkgName, _, _ := unstructured.NestedString(sub.Object, "spec", "name")
	pkg, known := operatorCatalog[pkgName]
	key := ns + "/" + name
	now := o.t.clock.Elapsed()
	status := object("operators.coreos.com/v1alpha1", "Subscription", ns, name)
	if !known {
		status["status"] = map[string]any{"lastUpdated": o.t.clock.Now().UTC().Format(time.RFC3339), "conditions": o.t.conditions(sub,
			condition{"CatalogSourcesUnhealthy", "False", "AllCatalogSourcesHealthy", "all available catalogsources are healthy"},
			condition{"ResolutionFailed", "True", "ConstraintsNotSatisfiable", fmt.Sprintf("no operators found in package %s in the catalog referenced by subscription %s", pkgName, name)})}
		o.report(key, "ResolutionFailed", timeline.Event{Kind: timeline.Operator, Resource: "Subscription " + key, Status: "Degraded", Message: "package " + pkgName + " is not in the catalog"})
		return o.t.applyStatus(ctx, o.name(), gvrSubscription, status)
	}
	if len(s.listIn(gvrOperatorGroup, ns)) == 0 {
		// OLM resolves nothing for a namespace without an OperatorGroup.
		return nil
	}
	o.mu.Lock()
	t0, seen := o.started[key]
	if !seen {
		t0 = now
		o.started[key] = now
	}
	o.mu.Unlock()
	d := o.t.spec.Durations
	csvName := fmt.Sprintf("%s.v%s.0", pkg.csv, o.t.spec.OpenShift)
	planName := "install-" + shortHash(key)
	switch {
	case now < t0+d.InstallPlan:
		if err := o.installPlan(ctx, ns, planName, csvName, "Installing"); err != nil {
			return err
		}
		status["status"] = map[string]any{
			"state": "UpgradePending", "currentCSV": csvName, "lastUpdated": o.t.clock.Now().UTC().Format(time.RFC3339),
			"installPlanRef": map[string]any{"apiVersion": "operators.coreos.com/v1alpha1", "kind": "InstallPlan", "namespace": ns, "name": planName},
			"conditions": o.t.conditions(sub,
				condition{"CatalogSourcesUnhealthy", "False", "AllCatalogSourcesHealthy", "all available catalogsources are healthy"},
				condition{"InstallPlanPending", "True", "Installing", "install plan " + planName + " is installing"}),
		}
		o.report(key, "UpgradePending", timeline.Event{Kind: timeline.Operator, Resource: "Subscription " + key, Status: "UpgradePending", Message: "InstallPlan " + planName + " installing " + csvName})
		return o.t.applyStatus(ctx, o.name(), gvrSubscription, status)
	}
	o.mu.Lock()
	done := o.done[key]
	o.mu.Unlock()
	if !done {
		if err := o.install(ctx, ns, planName, csvName, pkgName, pkg); err != nil {
			return err
		}
		o.mu.Lock()
		o.done[key] = true
		o.mu.Unlock()
	}
	status["status"] = map[string]any{
		"state": "AtLatestKnown", "currentCSV": csvName, "installedCSV": csvName, "lastUpdated": o.t.clock.Now().UTC().Format(time.RFC3339),
		"installPlanRef": map[string]any{"apiVersion": "operators.coreos.com/v1alpha1", "kind": "InstallPlan", "namespace": ns, "name": planName},
		"conditions": o.t.conditions(sub,
			condition{"CatalogSourcesUnhealthy", "False", "AllCatalogSourcesHealthy", "all available catalogsources are healthy"}),
	}
	if err := o.t.applyStatus(ctx, o.name(), gvrSubscription, status); err != nil {
		return err
	}
	o.report(key, "AtLatestKnown", timeline.Event{Kind: timeline.Operator, Resource: "Subscription " + key, Status: "AtLatestKnown", Message: "InstallPlan " + planName + " complete; CSV " + csvName + " Installing"})
	phase, reason, msg := "Installing", "InstallWaiting", "installing: waiting for deployment to become ready"
	if now >= t0+d.InstallPlan+d.OperatorStart && !o.t.spec.Faults.stuck(pkgName) {
		phase, reason, msg = "Succeeded", "InstallSucceeded", "install strategy completed with no errors"
	}
	csv := object("operators.coreos.com/v1alpha1", "ClusterServiceVersion", ns, csvName)
	csv["status"] = map[string]any{"phase": phase, "reason": reason, "message": msg,
		"lastTransitionTime": o.t.clock.Now().UTC().Format(time.RFC3339)}
	if phase == "Succeeded" {
		old := s.get(gvrCSV, ns, csvName)
		if old == nil || old.Object["status"] == nil || mustString(old.Object, "status", "phase") != "Succeeded" {
			if err := o.t.applyStatus(ctx, o.name(), gvrCSV, csv); err != nil {
				return err
			}
		}
		o.mu.Lock()
		o.serving[pkgName] = true
		o.mu.Unlock()
		o.report(key+"/csv", "Succeeded", timeline.Event{Kind: timeline.Operator, Resource: "ClusterServiceVersion " + ns + "/" + csvName, Status: "Succeeded", Message: "operator running; webhook answering"})
		return nil
	}
	if o.t.spec.Faults.stuck(pkgName) {
		o.report(key+"/csv", "Stuck", timeline.Event{Kind: timeline.Fault, Resource: "ClusterServiceVersion " + ns + "/" + csvName, Status: phase, Message: "fault: the operator's deployment never becomes ready"})
	}
	if old := s.get(gvrCSV, ns, csvName); old == nil || mustString(old.Object, "status", "phase") != phase {
		return o.t.applyStatus(ctx, o.name(), gvrCSV, csv)
	}
	return nil
}

// report records a phase once per subscription.
func (o *olm) report(key, phase string, e timeline.Event) {
	o.mu.Lock()
	changed := o.phase[key] != phase
	o.phase[key] = phase
	o.mu.Unlock()
	if changed {
		o.t.rec.Add(e)
	}
}

func (o *olm) installPlan(ctx context.Context, ns, name, csv, phase string) error {
	plan := object("operators.coreos.com/v1alpha1", "InstallPlan", ns, name)
	plan["spec"] = map[string]any{"approval": "Automatic", "approved": true, "clusterServiceVersionNames": []any{csv}}
	if err := o.t.apply(ctx, o.name(), gvrInstallPlan, plan); err != nil {
		return err
	}
	plan["status"] = map[string]any{"phase": phase, "catalogSources": []any{"redhat-operators"}}
	return o.t.applyStatus(ctx, o.name(), gvrInstallPlan, plan)
}

// install completes the InstallPlan: the package's CRDs, its CSV (labelled
// as OLM labels an operator's objects) and its webhook registration.
func (o *olm) install(ctx context.Context, ns, plan, csvName, pkgName string, pkg olmPackage) error {
	if err := o.installPlan(ctx, ns, plan, csvName, "Complete"); err != nil {
		return err
	}
	var crds []*apiextv1.CustomResourceDefinition
	for _, gk := range pkg.kinds {
		crd, err := e2e.CRDFor(gk[0], gk[1])
		if err != nil {
			return err
		}
		crds = append(crds, crd)
	}
	if err := e2e.CreateCRDs(ctx, o.t.dyn, crds); err != nil {
		return err
	}
	csv := object("operators.coreos.com/v1alpha1", "ClusterServiceVersion", ns, csvName)
	csv["metadata"].(map[string]any)["labels"] = map[string]any{OperatorLabel(pkgName, ns): ""}
	csv["spec"] = map[string]any{
		"displayName": pkgName, "version": o.t.spec.OpenShift + ".0",
		"install": map[string]any{"strategy": "deployment"},
	}
	if err := o.t.apply(ctx, o.name(), gvrCSV, csv); err != nil {
		return err
	}
	if pkg.hook == nil {
		return nil
	}
	h := pkg.hook
	path := "/" + pkgName
	o.t.hooks.handle(path, hook{
		admit:   func(req *admissionv1.AdmissionRequest) (bool, string) { return h.admit(o.t, req) },
		serving: func() bool { return o.isServing(pkgName) },
	})
	return o.t.apply(ctx, o.name(), gvrWebhookConfig, o.t.hooks.webhookConfig(pkgName+"-webhook", h.name, path, h.rules))
}

// OperatorLabel is the label OLM puts on an operator's CSV (and the other
// objects of the operator): operators.coreos.com/<package>.<namespace>.
func OperatorLabel(pkg, namespace string) string {
	return "operators.coreos.com/" + pkg + "." + namespace
}

// stuck reports whether the stuck-operator fault names pkg.
func (f Faults) stuck(pkg string) bool {
	for _, p := range f.StuckOperator {
		if p == pkg {
			return true
		}
	}
	return false
}

func mustString(obj map[string]any, fields ...string) string {
	s, _, _ := unstructured.NestedString(obj, fields...)
	return s
}

// Packages lists the operator packages the twin's catalog holds.
func Packages() []string {
	out := make([]string, 0, len(operatorCatalog))
	for p := range operatorCatalog {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

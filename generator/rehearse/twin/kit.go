package twin

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// The resources the twin reads or writes.
var (
	gvrNamespace      = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	gvrNode           = schema.GroupVersionResource{Version: "v1", Resource: "nodes"}
	gvrPod            = schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	gvrConfigMap      = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	gvrJob            = schema.GroupVersionResource{Group: "batch", Version: "v1", Resource: "jobs"}
	gvrRuntimeClass   = schema.GroupVersionResource{Group: "node.k8s.io", Version: "v1", Resource: "runtimeclasses"}
	gvrCRD            = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	gvrWebhookConfig  = schema.GroupVersionResource{Group: "admissionregistration.k8s.io", Version: "v1", Resource: "validatingwebhookconfigurations"}
	gvrMCP            = schema.GroupVersionResource{Group: "machineconfiguration.openshift.io", Version: "v1", Resource: "machineconfigpools"}
	gvrMachineConfig  = schema.GroupVersionResource{Group: "machineconfiguration.openshift.io", Version: "v1", Resource: "machineconfigs"}
	gvrKubeletConfig  = schema.GroupVersionResource{Group: "machineconfiguration.openshift.io", Version: "v1", Resource: "kubeletconfigs"}
	gvrMachineSet     = schema.GroupVersionResource{Group: "machine.openshift.io", Version: "v1beta1", Resource: "machinesets"}
	gvrProfile        = schema.GroupVersionResource{Group: "performance.openshift.io", Version: "v2", Resource: "performanceprofiles"}
	gvrSubscription   = schema.GroupVersionResource{Group: "operators.coreos.com", Version: "v1alpha1", Resource: "subscriptions"}
	gvrOperatorGroup  = schema.GroupVersionResource{Group: "operators.coreos.com", Version: "v1", Resource: "operatorgroups"}
	gvrInstallPlan    = schema.GroupVersionResource{Group: "operators.coreos.com", Version: "v1alpha1", Resource: "installplans"}
	gvrCSV            = schema.GroupVersionResource{Group: "operators.coreos.com", Version: "v1alpha1", Resource: "clusterserviceversions"}
	gvrCatalogSource  = schema.GroupVersionResource{Group: "operators.coreos.com", Version: "v1alpha1", Resource: "catalogsources"}
	gvrPolicy         = schema.GroupVersionResource{Group: "sriovnetwork.openshift.io", Version: "v1", Resource: "sriovnetworknodepolicies"}
	gvrNodeState      = schema.GroupVersionResource{Group: "sriovnetwork.openshift.io", Version: "v1", Resource: "sriovnetworknodestates"}
	gvrSriovConfig    = schema.GroupVersionResource{Group: "sriovnetwork.openshift.io", Version: "v1", Resource: "sriovoperatorconfigs"}
	gvrHyperConverged = schema.GroupVersionResource{Group: "hco.kubevirt.io", Version: "v1beta1", Resource: "hyperconvergeds"}
	gvrVM             = schema.GroupVersionResource{Group: "kubevirt.io", Version: "v1", Resource: "virtualmachines"}
	gvrVMI            = schema.GroupVersionResource{Group: "kubevirt.io", Version: "v1", Resource: "virtualmachineinstances"}
)

// watched are the resources a snapshot lists every tick.
var watched = []schema.GroupVersionResource{
	gvrNamespace, gvrNode, gvrPod, gvrJob, gvrCronJob, gvrRuntimeClass, gvrPVC,
	gvrMCP, gvrMachineConfig, gvrKubeletConfig, gvrMachineSet, gvrProfile,
	gvrSubscription, gvrOperatorGroup, gvrInstallPlan, gvrCSV,
	gvrPolicy, gvrNodeState, gvrSriovConfig,
	gvrHyperConverged, gvrVM, gvrVMI,
}

// snapshot is the cluster as listed at the start of one tick. A resource
// whose CRD is not served yet lists as empty.
type snapshot struct {
	items map[schema.GroupVersionResource][]unstructured.Unstructured
}

func (t *Twin) takeSnapshot(ctx context.Context) (*snapshot, error) {
	s := &snapshot{items: map[schema.GroupVersionResource][]unstructured.Unstructured{}}
	for _, gvr := range watched {
		list, err := t.dyn.Resource(gvr).List(ctx, metav1.ListOptions{})
		if apierrors.IsNotFound(err) || meta.IsNoMatchError(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		s.items[gvr] = list.Items
	}
	return s, nil
}

// list returns the objects of one resource, in the order the server
// listed them (by namespace, then name).
func (s *snapshot) list(gvr schema.GroupVersionResource) []unstructured.Unstructured {
	return s.items[gvr]
}

// get returns one object, or nil.
func (s *snapshot) get(gvr schema.GroupVersionResource, namespace, name string) *unstructured.Unstructured {
	for i := range s.items[gvr] {
		o := &s.items[gvr][i]
		if o.GetNamespace() == namespace && o.GetName() == name {
			return o
		}
	}
	return nil
}

// fieldManager names the twin's writes in managedFields, per controller.
func fieldManager(controller string) string { return "lowlat-twin-" + controller }

// apply server-side applies obj (its whole intent) as controller.
func (t *Twin) apply(ctx context.Context, controller string, gvr schema.GroupVersionResource, obj map[string]any) error {
	return t.patch(ctx, controller, gvr, obj, "")
}

// applyStatus server-side applies obj's status subresource.
func (t *Twin) applyStatus(ctx context.Context, controller string, gvr schema.GroupVersionResource, obj map[string]any) error {
	return t.patch(ctx, controller, gvr, obj, "status")
}

func (t *Twin) patch(ctx context.Context, controller string, gvr schema.GroupVersionResource, obj map[string]any, sub string) error {
	u := unstructured.Unstructured{Object: obj}
	data, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	force := true
	opts := metav1.PatchOptions{FieldManager: fieldManager(controller), Force: &force}
	var subs []string
	if sub != "" {
		subs = []string{sub}
	}
	_, err = t.dyn.Resource(gvr).Namespace(u.GetNamespace()).Patch(ctx, u.GetName(), types.ApplyPatchType, data, opts, subs...)
	return err
}

// object starts an apply configuration: apiVersion, kind and metadata.
func object(apiVersion, kind, namespace, name string) map[string]any {
	meta := map[string]any{"name": name}
	if namespace != "" {
		meta["namespace"] = namespace
	}
	return map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": meta}
}

// condition is one entry of a status.conditions list, in the shape
// metav1.Condition and most operators' own condition types share.
type condition struct {
	Type, Status, Reason, Message string
}

// conditions renders conds for an apply, keeping each condition's
// lastTransitionTime from old when its status did not change.
func (t *Twin) conditions(old *unstructured.Unstructured, conds ...condition) []any {
	prev := map[string]map[string]any{}
	if old != nil {
		list, _, _ := unstructured.NestedSlice(old.Object, "status", "conditions")
		for _, c := range list {
			if m, ok := c.(map[string]any); ok {
				if typ, ok := m["type"].(string); ok {
					prev[typ] = m
				}
			}
		}
	}
	now := t.clock.Now().UTC().Format(time.RFC3339)
	var out []any
	for _, c := range conds {
		at := now
		if p := prev[c.Type]; p != nil && p["status"] == c.Status {
			if s, ok := p["lastTransitionTime"].(string); ok {
				at = s
			}
		}
		out = append(out, map[string]any{
			"type": c.Type, "status": c.Status, "reason": c.Reason, "message": c.Message, "lastTransitionTime": at,
		})
	}
	return out
}

// conditionStatus returns the status of a condition type on obj, or "".
func conditionStatus(obj *unstructured.Unstructured, typ string) string {
	list, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	for _, c := range list {
		if m, ok := c.(map[string]any); ok && m["type"] == typ {
			s, _ := m["status"].(string)
			return s
		}
	}
	return ""
}

// labelsMatch reports whether labels carry every key and value of
// selector (a matchLabels map).
func labelsMatch(selector, labels map[string]string) bool {
	for k, v := range selector {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// stringMap reads a map[string]string field.
func stringMap(obj map[string]any, fields ...string) map[string]string {
	m, _, _ := unstructured.NestedStringMap(obj, fields...)
	return m
}

// listIn returns the objects of one resource in one namespace.
func (s *snapshot) listIn(gvr schema.GroupVersionResource, namespace string) []unstructured.Unstructured {
	var out []unstructured.Unstructured
	for _, o := range s.items[gvr] {
		if o.GetNamespace() == namespace {
			out = append(out, o)
		}
	}
	return out
}

// shortHash is a stable five-character suffix, as controllers name what
// they generate.
func shortHash(s string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	const letters = "bcdfghjklmnpqrstvwxz2456789"
	v := h.Sum32()
	out := make([]byte, 5)
	for i := range out {
		out[i] = letters[v%uint32(len(letters))]
		v /= uint32(len(letters))
	}
	return string(out)
}

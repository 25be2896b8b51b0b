package appcontroller

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// trackingAnnotation is how ArgoCD v3 records which Application owns a
// resource: annotation tracking is the default tracking method (argo-cd
// v3.3.19 util/settings GetTrackingMethod), and the value is
// <application>:<group>/<kind>:<namespace>/<name> (util/argo
// resource_tracking.go BuildAppInstanceValue), where the namespace of a
// cluster-scoped resource is the Application's destination namespace
// (UnstructuredToAppInstanceValue).
const trackingAnnotation = "argocd.argoproj.io/tracking-id"

// trackingID is the tracking annotation's value of obj for app.
func trackingID(app, destNamespace string, obj *unstructured.Unstructured) string {
	ns := obj.GetNamespace()
	if ns == "" {
		ns = destNamespace
	}
	gvk := obj.GroupVersionKind()
	return fmt.Sprintf("%s:%s/%s:%s/%s", app, gvk.Group, gvk.Kind, ns, obj.GetName())
}

// setTracking marks a target object as app's, as ArgoCD does to every
// manifest before it compares or applies it (controller/state.go
// CompareAppState, SetAppInstance).
func setTracking(obj *unstructured.Unstructured, app, destNamespace string) {
	ann := obj.GetAnnotations()
	if ann == nil {
		ann = map[string]string{}
	}
	ann[trackingAnnotation] = trackingID(app, destNamespace, obj)
	obj.SetAnnotations(ann)
}

// trackedBy returns the Application a live object's tracking annotation
// names, or "" when it has none or it does not parse
// (resource_tracking.go ParseAppInstanceValue).
func trackedBy(obj *unstructured.Unstructured) string {
	v := obj.GetAnnotations()[trackingAnnotation]
	parts := strings.SplitN(v, ":", 3)
	if len(parts) != 3 || strings.Count(parts[1], "/") != 1 || strings.Count(parts[2], "/") != 1 {
		return ""
	}
	return parts[0]
}

// selfReferenced reports whether a live object's tracking annotation
// describes the object itself, not a copy made of another tracked object:
// ArgoCD only syncs or prunes resources whose annotation matches
// (controller/sync.go isSelfReferencedObj).
func selfReferenced(obj *unstructured.Unstructured, destNamespace string) bool {
	app := trackedBy(obj)
	return app == "" || obj.GetAnnotations()[trackingAnnotation] == trackingID(app, destNamespace, obj)
}

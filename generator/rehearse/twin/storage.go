package twin

import (
	"context"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

var (
	gvrPVC          = schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumeclaims"}
	gvrStorageClass = schema.GroupVersionResource{Group: "storage.k8s.io", Version: "v1", Resource: "storageclasses"}
)

// defaultStorageClass is the default class of OpenShift on AWS: the EBS
// CSI driver's gp3-csi, which binds a claim only once a pod that uses it
// is scheduled (WaitForFirstConsumer).
const defaultStorageClass = "gp3-csi"

func (t *Twin) installStorage(ctx context.Context) error {
	sc := object("storage.k8s.io/v1", "StorageClass", "", defaultStorageClass)
	sc["metadata"].(map[string]any)["annotations"] = map[string]any{"storageclass.kubernetes.io/is-default-class": "true"}
	sc["provisioner"] = "ebs.csi.aws.com"
	sc["volumeBindingMode"] = "WaitForFirstConsumer"
	sc["reclaimPolicy"] = "Delete"
	sc["allowVolumeExpansion"] = true
	sc["parameters"] = map[string]any{"type": "gp3", "encrypted": "true"}
	return t.apply(ctx, "install", gvrStorageClass, sc)
}

// storage plays the EBS CSI provisioner and the PV controller: a pending
// claim is bound once a pod that mounts it runs (a bound Pod, or a started
// Job's pod), as WaitForFirstConsumer does.
type storage struct{ t *Twin }

func newStorage(t *Twin) *storage { return &storage{t: t} }

func (s *storage) name() string { return "persistentvolume-controller" }

func (s *storage) reconcile(ctx context.Context, snap *snapshot) error {
	for _, pvc := range snap.list(gvrPVC) {
		if mustString(pvc.Object, "status", "phase") == "Bound" || !consumed(snap, pvc.GetNamespace(), pvc.GetName()) {
			continue
		}
		size := mustString(pvc.Object, "spec", "resources", "requests", "storage")
		obj := object("v1", "PersistentVolumeClaim", pvc.GetNamespace(), pvc.GetName())
		obj["status"] = map[string]any{"phase": "Bound", "accessModes": pvc.Object["spec"].(map[string]any)["accessModes"],
			"capacity": map[string]any{"storage": size}}
		s.t.rec.Add(timeline.Event{Kind: timeline.Run, Resource: "PersistentVolumeClaim " + pvc.GetNamespace() + "/" + pvc.GetName(), Status: "Bound", Message: "provisioned by " + defaultStorageClass})
		if err := s.t.applyStatus(ctx, s.name(), gvrPVC, obj); err != nil {
			return err
		}
	}
	return nil
}

// consumed reports whether a scheduled pod, or a started Job's pod, in
// namespace mounts the claim.
func consumed(snap *snapshot, namespace, claim string) bool {
	for _, p := range snap.listIn(gvrPod, namespace) {
		if mustString(p.Object, "spec", "nodeName") != "" && mountsClaim(p.Object, []string{"spec", "volumes"}, claim) {
			return true
		}
	}
	for _, j := range snap.listIn(gvrJob, namespace) {
		if mustString(j.Object, "status", "startTime") != "" && mountsClaim(j.Object, []string{"spec", "template", "spec", "volumes"}, claim) {
			return true
		}
	}
	return false
}

func mountsClaim(obj map[string]any, path []string, claim string) bool {
	vols, _, _ := unstructured.NestedSlice(obj, path...)
	for _, v := range vols {
		if m, ok := v.(map[string]any); ok && mustString(m, "persistentVolumeClaim", "claimName") == claim {
			return true
		}
	}
	return false
}

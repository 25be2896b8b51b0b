package twin

import (
	"context"
	"encoding/json"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// garbageCollector plays the garbage collector of kube-controller-manager
// for what the twin runs: an object deleted with propagation Foreground (as
// ArgoCD deletes hooks and prunes) or Orphan keeps a finalizer until the
// collector has handled its dependents; the twin's Jobs and objects have
// none, so the collector only removes the finalizer.
type garbageCollector struct{ t *Twin }

func newGarbageCollector(t *Twin) *garbageCollector { return &garbageCollector{t: t} }

func (g *garbageCollector) name() string { return "garbage-collector" }

var collectorFinalizers = map[string]bool{metav1.FinalizerDeleteDependents: true, metav1.FinalizerOrphanDependents: true}

func (g *garbageCollector) reconcile(ctx context.Context, s *snapshot) error {
	for gvr, items := range s.items {
		for _, o := range items {
			if o.GetDeletionTimestamp() == nil {
				continue
			}
			var keep []string
			drop := false
			for _, f := range o.GetFinalizers() {
				if collectorFinalizers[f] {
					drop = true
				} else {
					keep = append(keep, f)
				}
			}
			if !drop {
				continue
			}
			patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{
				"finalizers": keep, "resourceVersion": o.GetResourceVersion()}})
			if _, err := g.t.dyn.Resource(gvr).Namespace(o.GetNamespace()).Patch(ctx, o.GetName(), types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
				return err
			}
		}
	}
	return nil
}

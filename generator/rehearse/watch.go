package rehearse

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/gitops-engine/pkg/sync/common"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// Outcomes of a pass.
const (
	Converged = "converged"
	Stalled   = "stalled"
	TimedOut  = "timed out"
)

var gvrApplication = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "applications"}

// watcher decides when a pass has ended.
type watcher struct {
	cfg            *rest.Config
	clk            *origin
	rec            *timeline.Recorder
	timeout, stall time.Duration
	speed          float64
}

// poll is how often, in real time, the watcher looks.
const poll = 200 * time.Millisecond

// quietFloor is the least real time without events that counts as a
// stall, however fast the clock runs: a loaded machine can pause the
// rehearsal for seconds.
const quietFloor = 15 * time.Second

// settle is how long (modelled) every Application must stay Synced and
// Healthy to count as converged: a child whose rollout has not begun yet
// can look Healthy for an instant.
const settle = 3 * time.Minute

func (w *watcher) watch(ctx context.Context, revision string) (*Pass, error) {
	dyn, err := dynamic.NewForConfig(w.cfg)
	if err != nil {
		return nil, err
	}
	start := w.clk.Elapsed()
	var calmSince time.Duration = -1
	seen, quietSince := 0, time.Now()
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
		now := w.clk.Elapsed()
		apps, err := listApps(ctx, dyn)
		if err != nil {
			return nil, err
		}
		if settled(apps, revision) {
			if calmSince < 0 {
				calmSince = now
			}
			if now-calmSince >= settle {
				return w.pass(revision, Converged, start, calmSince, apps), nil
			}
			continue
		}
		calmSince = -1
		last := start
		ev := w.rec.Events()
		if len(ev) > 0 && ev[len(ev)-1].At > last {
			last = ev[len(ev)-1].At
		}
		if len(ev) != seen {
			seen, quietSince = len(ev), time.Now()
		}
		switch {
		case now-last >= w.stall && time.Since(quietSince) >= quietFloor:
			return w.pass(revision, Stalled, start, last, apps), nil
		case now-start >= w.timeout:
			return w.pass(revision, TimedOut, start, now, apps), nil
		}
	}
}

func listApps(ctx context.Context, dyn dynamic.Interface) ([]v1alpha1.Application, error) {
	list, err := dyn.Resource(gvrApplication).Namespace(gitopsNamespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	out := make([]v1alpha1.Application, len(list.Items))
	for i := range list.Items {
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(list.Items[i].Object, &out[i]); err != nil {
			return nil, err
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// settled: every Application synced the revision, is Synced and Healthy,
// and runs no operation.
func settled(apps []v1alpha1.Application, revision string) bool {
	if len(apps) == 0 {
		return false
	}
	for _, a := range apps {
		st := a.Status
		if st.Sync.Status != v1alpha1.SyncStatusCodeSynced || st.Health.Status != "Healthy" || st.Sync.Revision != revision {
			return false
		}
		if a.Operation != nil || (st.OperationState != nil && !st.OperationState.Phase.Completed()) {
			return false
		}
	}
	return true
}

func (w *watcher) pass(revision, outcome string, start, end time.Duration, apps []v1alpha1.Application) *Pass {
	p := &Pass{Revision: revision, Outcome: outcome, Start: start, Took: end - start}
	for _, a := range apps {
		ar := AppResult{Name: a.Name, Wave: wave(a.Annotations["argocd.argoproj.io/sync-wave"]),
			Sync: string(a.Status.Sync.Status), Health: string(a.Status.Health.Status)}
		if op := a.Status.OperationState; op != nil {
			ar.Phase, ar.Message = string(op.Phase), op.Message
		}
		running := a.Status.OperationState != nil && a.Status.OperationState.Phase != common.OperationSucceeded
		seen := map[string]bool{}
		for _, r := range a.Status.Resources {
			ref := resourceRef(r.Group, r.Kind, r.Namespace, r.Name)
			if r.Hook {
				// Hooks count for the operation, not the Application's
				// state: only a running operation waits on them.
				if running && (r.Health == nil || r.Health.Status != "Healthy") {
					rs := ResourceState{Resource: ref, Sync: "hook"}
					if r.Health != nil {
						rs.Health, rs.Message = string(r.Health.Status), r.Health.Message
					}
					ar.Waiting = append(ar.Waiting, rs)
					seen[ref] = true
				}
				continue
			}
			// A resource git no longer holds that ArgoCD keeps (Prune=false)
			// without it counting for the sync status (IgnoreExtraneous): a
			// superseded perf run. Nothing waits for it.
			kept := r.RequiresPruning && a.Status.Sync.Status == v1alpha1.SyncStatusCodeSynced && (r.Health == nil || r.Health.Status == "Healthy")
			if !kept && (r.Health != nil && r.Health.Status != "Healthy" || r.Status != v1alpha1.SyncStatusCodeSynced) {
				rs := ResourceState{Resource: ref, Sync: string(r.Status)}
				if r.Health != nil {
					rs.Health, rs.Message = string(r.Health.Status), r.Health.Message
				}
				ar.Waiting = append(ar.Waiting, rs)
			}
		}
		// A running operation waits on its hooks too (the waits of package
		// gates): name the ones that have not succeeded, from the
		// operation's own record when the resource list does not show them.
		if op := a.Status.OperationState; running && op.SyncResult != nil {
			for _, r := range op.SyncResult.Resources {
				ref := resourceRef(r.Group, r.Kind, r.Namespace, r.Name)
				if r.HookType != "" && r.HookPhase != common.OperationSucceeded && !seen[ref] {
					ar.Waiting = append(ar.Waiting, ResourceState{Resource: ref,
						Sync: "hook " + string(r.HookType), Health: string(r.HookPhase), Message: r.Message})
				}
			}
		}
		p.Apps = append(p.Apps, ar)
	}
	sort.SliceStable(p.Apps, func(i, j int) bool { return p.Apps[i].Wave < p.Apps[j].Wave })
	return p
}

func wave(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func resourceRef(group, kind, namespace, name string) string {
	ref := kind
	if group != "" {
		ref = kind + "." + group
	}
	if namespace != "" {
		return ref + " " + namespace + "/" + name
	}
	return ref + " " + name
}

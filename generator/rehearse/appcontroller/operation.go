package appcontroller

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/go-logr/logr"
	"math"
	"time"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/gitops-engine/pkg/sync"
	"github.com/argoproj/gitops-engine/pkg/sync/common"
	"github.com/argoproj/gitops-engine/pkg/utils/kube"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Self-heal backs off 2 s, then 3 times longer each attempt, at most
// 5 min (argo-cd v3.3.19 cmd/argocd-application-controller: the defaults
// of --self-heal-backoff-timeout-seconds, -factor and -cap-seconds).
const (
	selfHealBackoff       = 2 * time.Second
	selfHealBackoffFactor = 3
	selfHealBackoffCap    = 5 * time.Minute
	// syncWaveDelay is the pause between waves (controller/sync.go
	// delayBetweenSyncWaves, ARGOCD_SYNC_WAVE_DELAY default 2 s).
	syncWaveDelay = 2 * time.Second
)

// reconcile compares one Application, starts an automated sync when it is
// out of sync, advances a running sync by one step, and writes the status.
func (c *Controller) reconcile(ctx context.Context, app *v1alpha1.Application) error {
	repo := c.currentRepo()
	cmp := c.compare(app, repo)
	status := app.Status.DeepCopy()
	status.Sync = v1alpha1.SyncStatus{Status: cmp.sync, Revision: repo.Revision,
		ComparedTo: v1alpha1.ComparedTo{Source: app.Spec.GetSource(), Destination: app.Spec.Destination}}
	status.Health = v1alpha1.AppHealthStatus{Status: cmp.health.Status}
	status.Resources = cmp.resources
	status.Conditions = nil
	if cmp.err != nil {
		status.Conditions = []v1alpha1.ApplicationCondition{{Type: v1alpha1.ApplicationConditionComparisonError, Message: cmp.err.Error()}}
	}
	now := metav1.NewTime(c.opts.Clock.Now())
	status.ReconciledAt = &now
	if cmp.err == nil {
		if op := status.OperationState; op != nil && !op.Phase.Completed() {
			c.advance(ctx, app, repo, cmp, op)
		} else if op := c.autoSync(app, status, repo); op != nil {
			status.OperationState = op
			c.record(app, eventSync(op, repo.Revision))
			c.advance(ctx, app, repo, cmp, op)
		}
	}
	c.report(app, status)
	return c.writeStatus(ctx, app, status)
}

// autoSync is controller/appcontroller.go autoSync: an out-of-sync
// Application with automated sync gets a new operation, unless it already
// attempted this revision (then only self-heal after its backoff, and
// never after a failure) or the sync would prune everything.
func (c *Controller) autoSync(app *v1alpha1.Application, status *v1alpha1.ApplicationStatus, repo *Repo) *v1alpha1.OperationState {
	policy := app.Spec.SyncPolicy
	if policy == nil || policy.Automated == nil || app.DeletionTimestamp != nil || status.Sync.Status != v1alpha1.SyncStatusCodeOutOfSync {
		return nil
	}
	if !policy.Automated.Prune && onlyPruning(status.Resources) {
		return nil
	}
	op := v1alpha1.Operation{
		Sync:        &v1alpha1.SyncOperation{Revision: repo.Revision, Prune: policy.Automated.Prune, SyncOptions: policy.SyncOptions},
		InitiatedBy: v1alpha1.OperationInitiator{Automated: true},
		Retry:       v1alpha1.RetryStrategy{Limit: 5},
	}
	if policy.Retry != nil {
		op.Retry = *policy.Retry
	}
	if last := status.OperationState; last != nil && last.SyncResult != nil && last.SyncResult.Revision == repo.Revision {
		if !last.Phase.Successful() || !policy.Automated.SelfHeal {
			return nil
		}
		attempts := int64(0)
		if last.Operation.Sync != nil {
			attempts = last.Operation.Sync.SelfHealAttemptsCount
		}
		if last.FinishedAt != nil && c.opts.Clock.Now().Sub(last.FinishedAt.Time) < selfHealDelay(attempts) {
			return nil
		}
		op.Sync.SelfHealAttemptsCount = attempts + 1
	}
	if policy.Automated.Prune && !policy.Automated.AllowEmpty && len(status.Resources) > 0 && allPruning(status.Resources) {
		return nil
	}
	return &v1alpha1.OperationState{Operation: op, Phase: common.OperationRunning, StartedAt: metav1.NewTime(c.opts.Clock.Now())}
}

// allPruning reports that a sync would prune every resource (argo-cd
// v3.3.19 autoSync's bAllNeedPrune: "auto-sync will wipe out all
// resources"); synced resources that stay make it false.
func allPruning(resources []v1alpha1.ResourceStatus) bool {
	for _, r := range resources {
		if !r.RequiresPruning {
			return false
		}
	}
	return true
}

// onlyPruning reports that nothing but pruning would bring the
// Application in sync (autoSync's requirePruneOnly).
func onlyPruning(resources []v1alpha1.ResourceStatus) bool {
	for _, r := range resources {
		if r.Status != v1alpha1.SyncStatusCodeSynced && !r.RequiresPruning {
			return false
		}
	}
	return true
}

// selfHealDelay is the k8s wait.Backoff the controller steps attempts
// times.
func selfHealDelay(attempts int64) time.Duration {
	d := float64(selfHealBackoff) * math.Pow(selfHealBackoffFactor, float64(max(attempts-1, 0)))
	return time.Duration(math.Min(d, float64(selfHealBackoffCap)))
}

// advance runs one step of a running operation, as
// processRequestedAppOperation and SyncAppState do: wait out a retry
// backoff, else build a sync context from the operation's state so far and
// the fresh comparison, call Sync once, keep its state, and turn a failure
// into a retry while the retry limit allows.
func (c *Controller) advance(ctx context.Context, app *v1alpha1.Application, repo *Repo, cmp comparison, op *v1alpha1.OperationState) {
	now := c.opts.Clock.Now()
	if op.Phase == common.OperationRunning && op.FinishedAt != nil {
		retryAt, err := op.Operation.Retry.NextRetryAt(op.FinishedAt.Time, op.RetryCount-1)
		if err != nil {
			op.Phase, op.Message = common.OperationError, err.Error()
			return
		}
		if now.Before(retryAt) {
			return
		}
		op.Message = fmt.Sprintf("Retrying operation. Attempt #%d", op.RetryCount)
		op.FinishedAt, op.SyncResult = nil, nil
		op.StartedAt = metav1.NewTime(now)
	}
	if op.SyncResult == nil {
		op.SyncResult = &v1alpha1.SyncOperationResult{Revision: repo.Revision, Source: app.Spec.GetSource()}
	}
	c.step(ctx, app, cmp, op)
	if op.Phase.Completed() {
		finished := metav1.NewTime(c.opts.Clock.Now())
		op.FinishedAt = &finished
		if op.Phase.Failed() && (op.RetryCount < op.Operation.Retry.Limit || op.Operation.Retry.Limit < 0) {
			retryAt, _ := op.Operation.Retry.NextRetryAt(finished.Time, op.RetryCount)
			op.Phase = common.OperationRunning
			op.RetryCount++
			op.Message = fmt.Sprintf("%s. Retrying attempt #%d in %s.", op.Message, op.RetryCount, retryAt.Sub(finished.Time).Round(time.Second))
		}
		c.record(app, eventSync(op, repo.Revision))
	}
}

// step is SyncAppState with the sync options an automated operation has.
func (c *Controller) step(ctx context.Context, app *v1alpha1.Application, cmp comparison, op *v1alpha1.OperationState) {
	syncOp := op.Operation.Sync
	proj, err := c.project(ctx, app)
	if err != nil {
		op.Phase, op.Message = common.OperationError, fmt.Sprintf("Failed to load application project: %v", err)
		return
	}
	var initial []common.ResourceSyncResult
	for i, r := range op.SyncResult.Resources {
		initial = append(initial, common.ResourceSyncResult{
			ResourceKey: kube.ResourceKey{Group: r.Group, Kind: r.Kind, Namespace: r.Namespace, Name: r.Name},
			Message:     r.Message, Status: r.Status, HookPhase: r.HookPhase, HookType: r.HookType, SyncPhase: r.SyncPhase,
			Version: r.Version, Images: r.Images, Order: i + 1,
		})
	}
	dest := app.Spec.Destination.Namespace
	opts := []sync.SyncOpt{
		sync.WithHealthOverride(c.health),
		sync.WithPermissionValidator(func(un *unstructured.Unstructured, res *metav1.APIResource) error {
			return permitted(proj, app, un, res)
		}),
		sync.WithOperationSettings(false, syncOp.Prune, false, false),
		sync.WithInitialState(op.Phase, op.Message, initial, metav1.NewTime(op.StartedAt.Time)),
		sync.WithResourcesFilter(func(_ kube.ResourceKey, _, live *unstructured.Unstructured) bool {
			return live == nil || selfReferenced(live, dest)
		}),
		sync.WithManifestValidation(!syncOp.SyncOptions.HasOption("Validate=false")),
		sync.WithSyncWaveHook(func(_ common.SyncPhase, _ int, final bool) error {
			if !final {
				time.Sleep(c.opts.Clock.Real(syncWaveDelay))
			}
			return nil
		}),
		sync.WithPruneLast(syncOp.SyncOptions.HasOption("PruneLast=true")),
		sync.WithResourceModificationChecker(syncOp.SyncOptions.HasOption("ApplyOutOfSyncOnly=true"), cmp.diffs),
		sync.WithPrunePropagationPolicy(ptr(metav1.DeletePropagationForeground)),
		sync.WithReplace(syncOp.SyncOptions.HasOption("Replace=true")),
		sync.WithServerSideApply(syncOp.SyncOptions.HasOption("ServerSideApply=true")),
		sync.WithServerSideApplyManager("argocd-controller"),
		sync.WithLogr(logr.Discard()),
		sync.WithSkipDryRunOnMissingResource(syncOp.SyncOptions.HasOption("SkipDryRunOnMissingResource=true")),
	}
	if syncOp.SyncOptions.HasOption("CreateNamespace=true") {
		opts = append(opts, sync.WithNamespaceModifier(func(managed, live *unstructured.Unstructured) (bool, error) {
			// controller/sync_namespace.go syncNamespace: create the
			// namespace when it does not exist; lowlat sets no
			// managedNamespaceMetadata.
			return managed != nil && live == nil, nil
		}))
	}
	cfg := c.opts.Config
	if remote(app.Spec.Destination) && c.opts.RemoteConfig != nil {
		cfg = c.opts.RemoteConfig
	}
	recon := cmp.recon
	if syncOp.SyncOptions.HasOption("RespectIgnoreDifferences=true") {
		recon.Target = ignoredFields(app.Spec.IgnoreDifferences).respectLive(recon.Target, recon.Live)
	}
	syncCtx, cleanup, err := sync.NewSyncContext(op.SyncResult.Revision, recon, cfg, cfg, c.kubectl, dest, c.cache.GetOpenAPISchema(), opts...)
	if err != nil {
		op.Phase, op.Message = common.OperationError, fmt.Sprintf("failed to initialize sync context: %v", err)
		return
	}
	defer cleanup()
	syncCtx.Sync()
	var results []common.ResourceSyncResult
	op.Phase, op.Message, results = syncCtx.GetState()
	op.SyncResult.Resources = nil
	for _, r := range results {
		op.SyncResult.Resources = append(op.SyncResult.Resources, &v1alpha1.ResourceResult{
			Group: r.ResourceKey.Group, Kind: r.ResourceKey.Kind, Namespace: r.ResourceKey.Namespace, Name: r.ResourceKey.Name,
			Version: r.Version, Status: r.Status, Message: r.Message, HookType: r.HookType, HookPhase: r.HookPhase, SyncPhase: r.SyncPhase, Images: r.Images,
		})
	}
}

// permitted is controller/sync.go validateSyncPermissions: the project
// must allow the resource's kind (cluster-scoped or namespaced) and its
// destination namespace.
func permitted(proj *v1alpha1.AppProject, app *v1alpha1.Application, un *unstructured.Unstructured, res *metav1.APIResource) error {
	if res == nil {
		return nil
	}
	gk := schema.GroupKind{Group: un.GroupVersionKind().Group, Kind: un.GetKind()}
	if !proj.IsGroupKindNamePermitted(gk, un.GetName(), res.Namespaced) {
		return fmt.Errorf("resource %s:%s is not permitted in project %s", gk.Group, gk.Kind, proj.Name)
	}
	if res.Namespaced {
		dest := &v1alpha1.Cluster{Server: app.Spec.Destination.Server, Name: app.Spec.Destination.Name}
		ok, err := proj.IsDestinationPermitted(dest, un.GetNamespace(), func(string) ([]*v1alpha1.Cluster, error) { return nil, nil })
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("namespace %v is not permitted in project '%s'", un.GetNamespace(), proj.Name)
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// remote reports a destination ArgoCD reaches through a cluster secret:
// anything but the in-cluster server (or its name, "in-cluster").
func remote(d v1alpha1.ApplicationDestination) bool {
	if d.Name != "" {
		return d.Name != "in-cluster"
	}
	return d.Server != "" && d.Server != v1alpha1.KubernetesInternalAPIServerAddr
}

// project reads the Application's AppProject.
func (c *Controller) project(ctx context.Context, app *v1alpha1.Application) (*v1alpha1.AppProject, error) {
	u, err := c.dyn.Resource(gvrAppProject).Namespace(c.opts.Namespace).Get(ctx, app.Spec.GetProject(), metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	proj := &v1alpha1.AppProject{}
	data, err := json.Marshal(u.Object)
	if err != nil {
		return nil, err
	}
	return proj, json.Unmarshal(data, proj)
}

// writeStatus replaces the Application's status, as the controller
// updates it (Applications have no status subresource). A conflict with a
// concurrent write (the parent's sync applying the spec) is retried at the
// next tick.
func (c *Controller) writeStatus(ctx context.Context, app *v1alpha1.Application, status *v1alpha1.ApplicationStatus) error {
	updated := app.DeepCopy()
	updated.Status = *status
	obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(updated)
	if err != nil {
		return err
	}
	u := &unstructured.Unstructured{Object: obj}
	u.SetAPIVersion("argoproj.io/v1alpha1")
	u.SetKind("Application")
	_, err = c.dyn.Resource(gvrApplication).Namespace(app.Namespace).Update(ctx, u, metav1.UpdateOptions{})
	return err
}

package appcontroller

import (
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/gitops-engine/pkg/cache"
	"github.com/argoproj/gitops-engine/pkg/diff"
	"github.com/argoproj/gitops-engine/pkg/health"
	"github.com/argoproj/gitops-engine/pkg/sync"
	"github.com/argoproj/gitops-engine/pkg/sync/hook"
	"github.com/argoproj/gitops-engine/pkg/sync/ignore"
	"github.com/argoproj/gitops-engine/pkg/sync/syncwaves"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// comparison is an Application's desired state against the live one, as
// argo-cd v3.3.19 controller/state.go CompareAppState computes it.
type comparison struct {
	recon     sync.ReconciliationResult
	diffs     *diff.DiffResultList
	resources []v1alpha1.ResourceStatus
	sync      v1alpha1.SyncStatusCode
	health    v1alpha1.HealthStatus
	// err is a comparison error: the source did not build.
	err error
}

// compare builds the source, finds the live objects the Application
// tracks and compares them.
func (c *Controller) compare(app *v1alpha1.Application, repo *Repo) comparison {
	src := app.Spec.GetSource()
	targets, err := repo.Manifests(src.RepoURL, src.Path)
	if err != nil {
		return comparison{err: err, sync: v1alpha1.SyncStatusCodeUnknown, health: v1alpha1.HealthStatus{Status: health.HealthStatusUnknown}}
	}
	dest := app.Spec.Destination.Namespace
	for _, t := range targets {
		if namespaced, err := c.cache.IsNamespaced(t.GroupVersionKind().GroupKind()); err == nil && namespaced && t.GetNamespace() == "" {
			t.SetNamespace(dest)
		}
		setTracking(t, app.Name, dest)
	}
	live, err := c.cache.GetManagedLiveObjs(targets, func(r *cache.Resource) bool {
		info, ok := r.Info.(*resourceInfo)
		return ok && info.app == app.Name
	})
	if err != nil {
		return comparison{err: err, sync: v1alpha1.SyncStatusCodeUnknown, health: v1alpha1.HealthStatus{Status: health.HealthStatusUnknown}}
	}
	cmp := comparison{recon: sync.Reconcile(targets, live, dest, c.cache)}
	cmp.diffs, err = diff.DiffArray(cmp.recon.Target, cmp.recon.Live, diff.WithNormalizer(normalizers{statusIgnored{}, ignoredFields(app.Spec.IgnoreDifferences)}))
	if err != nil {
		return comparison{err: err, sync: v1alpha1.SyncStatusCodeUnknown, health: v1alpha1.HealthStatus{Status: health.HealthStatusUnknown}}
	}
	cmp.summarize(app, c.health)
	return cmp
}

// normalizers applies each in turn.
type normalizers []diff.Normalizer

func (ns normalizers) Normalize(un *unstructured.Unstructured) error {
	for _, n := range ns {
		if err := n.Normalize(un); err != nil {
			return err
		}
	}
	return nil
}

// statusIgnored drops status before the diff: argo-cd's default diff
// options ignore the status field of every resource
// (util/settings GetDefaultDiffOptions, IgnoreResourceStatusInAll).
type statusIgnored struct{}

func (statusIgnored) Normalize(un *unstructured.Unstructured) error {
	unstructured.RemoveNestedField(un.Object, "status")
	return nil
}

// summarize sets each resource's sync status and health and the
// Application's (state.go CompareAppState, health.go
// setApplicationHealth).
func (cmp *comparison) summarize(app *v1alpha1.Application, scripts *healthScripts) {
	cmp.sync = v1alpha1.SyncStatusCodeSynced
	appHealth := health.HealthStatusHealthy
	for i, target := range cmp.recon.Target {
		live := cmp.recon.Live[i]
		obj := live
		if obj == nil {
			obj = target
		}
		gvk := obj.GroupVersionKind()
		self := live == nil || selfReferenced(live, app.Spec.Destination.Namespace)
		rs := v1alpha1.ResourceStatus{
			Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind, Namespace: obj.GetNamespace(), Name: obj.GetName(),
			Hook: hook.IsHook(obj), RequiresPruning: target == nil && live != nil && self,
		}
		if target != nil {
			rs.SyncWave = int64(syncwaves.Wave(target))
		}
		switch {
		case rs.Hook || ignore.Ignore(obj) || (target != nil && hook.Skip(target)) || !self:
		case cmp.diffs.Diffs[i].Modified || target == nil || live == nil:
			rs.Status = v1alpha1.SyncStatusCodeOutOfSync
			extraneous := target == nil && live != nil
			if !extraneous || !hasOption(obj, "argocd.argoproj.io/compare-options", "IgnoreExtraneous") {
				cmp.sync = v1alpha1.SyncStatusCodeOutOfSync
			}
		default:
			rs.Status = v1alpha1.SyncStatusCodeSynced
		}
		if h := resourceHealth(app, target, live, scripts); h != nil {
			rs.Health = &v1alpha1.HealthStatus{Status: h.Status, Message: h.Message}
			if counts(rs, h, scripts) && health.IsWorse(appHealth, h.Status) {
				appHealth = h.Status
			}
		}
		cmp.resources = append(cmp.resources, rs)
	}
	cmp.health = v1alpha1.HealthStatus{Status: appHealth}
}

// resourceHealth is a resource's health, or nil for one that has none or
// does not count (hooks, ignored resources, the health-check opt-out).
func resourceHealth(app *v1alpha1.Application, target, live *unstructured.Unstructured, scripts *healthScripts) *health.HealthStatus {
	if target != nil && hook.Skip(target) {
		return nil
	}
	if live == nil {
		return &health.HealthStatus{Status: health.HealthStatusMissing}
	}
	if live.GetAnnotations()["argocd.argoproj.io/ignore-healthcheck"] == "true" || hook.IsHook(live) || ignore.Ignore(live) {
		return nil
	}
	h, err := health.GetResourceHealth(live, scripts)
	if err != nil && h == nil {
		return &health.HealthStatus{Status: health.HealthStatusUnknown, Message: err.Error()}
	}
	return h
}

// counts reports whether a resource's health enters its Application's:
// a Missing resource of a kind without an installed script or Go check
// does not, nor a Missing or Unknown child Application.
func counts(rs v1alpha1.ResourceStatus, h *health.HealthStatus, scripts *healthScripts) bool {
	gvk := rs.GroupVersionKind()
	if h.Status == health.HealthStatusMissing && !scripts.hasOverride(gvk) && health.GetHealthCheckFunc(gvk) == nil {
		return false
	}
	if rs.Group == "argoproj.io" && rs.Kind == "Application" && (h.Status == health.HealthStatusMissing || h.Status == health.HealthStatusUnknown) {
		return false
	}
	return true
}

// hasOption reports whether an option is set in a comma-separated
// annotation (gitops-engine resource.HasAnnotationOption).
func hasOption(obj *unstructured.Unstructured, annotation, option string) bool {
	for _, o := range strings.Split(obj.GetAnnotations()[annotation], ",") {
		if strings.TrimSpace(o) == option {
			return true
		}
	}
	return false
}

package appcontroller

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"sync"
	"time"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/gitops-engine/pkg/cache"
	"github.com/argoproj/gitops-engine/pkg/utils/kube"
	"github.com/argoproj/gitops-engine/pkg/utils/tracing"
	"github.com/go-logr/logr"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"github.com/lowlat/lowlat/generator/rehearse/clock"
	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// The ArgoCD resources the controller reads and writes.
var (
	gvrApplication = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "applications"}
	gvrAppProject  = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "appprojects"}
	gvrArgoCD      = schema.GroupVersionResource{Group: "argoproj.io", Version: "v1beta1", Resource: "argocds"}
	gvrConfigMap   = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
)

// Options configure a controller.
type Options struct {
	// Namespace is ArgoCD's namespace, where Applications live.
	Namespace string
	// Instance is the name of the argocd-operator ArgoCD CR whose
	// resourceHealthChecks the instance uses.
	Instance string
	// Config reaches the API server as the application controller's
	// service account.
	Config *rest.Config
	// RemoteConfig reaches a destination named by a cluster secret (a
	// destination other than the in-cluster one) with that secret's
	// credentials; nil means Config.
	RemoteConfig *rest.Config
	Clock        *clock.Scaled
	Record       *timeline.Recorder
	// Repo is the repository revision the Applications sync.
	Repo *Repo
	// BundledChecks holds another ArgoCD version's bundled health scripts
	// (a resource_customizations directory): a script found there is used
	// instead of v3.3.19's, the others stay.
	BundledChecks fs.FS
}

// Controller plays ArgoCD's application controller.
type Controller struct {
	opts    Options
	dyn     dynamic.Interface
	cache   cache.ClusterCache
	kubectl *kube.KubectlCmd
	health  *healthScripts

	mu    sync.Mutex
	repo  *Repo
	seen  map[string]*appMemory
	tick  time.Duration
	error error
}

// appMemory is what the controller remembers of an Application between
// reconciliations, to report changes rather than states.
type appMemory struct {
	health    string
	sync      string
	phase     string
	resources map[string]string // result per resource key
	resHealth map[string]string
}

// New builds a controller and its cluster cache; Start syncs the cache.
func New(opts Options) (*Controller, error) {
	dyn, err := dynamic.NewForConfig(opts.Config)
	if err != nil {
		return nil, err
	}
	kubectl := &kube.KubectlCmd{Log: logr.Discard(), Tracer: tracing.NopTracer{}}
	c := &Controller{opts: opts, dyn: dyn, kubectl: kubectl, repo: opts.Repo, seen: map[string]*appMemory{}, tick: 100 * time.Millisecond}
	c.health = newHealthScripts(opts.BundledChecks)
	c.cache = cache.NewClusterCache(opts.Config,
		cache.SetKubectl(kubectl),
		cache.SetLogr(logr.Discard()),
		cache.SetPopulateResourceInfoHandler(func(un *unstructured.Unstructured, _ bool) (any, bool) {
			return &resourceInfo{app: trackedBy(un)}, true
		}),
	)
	return c, nil
}

// resourceInfo is what the cache keeps of a resource besides the object.
type resourceInfo struct{ app string }

// SetRepo switches the repository revision the Applications sync, as a
// push to the tracked branch does.
func (c *Controller) SetRepo(r *Repo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.repo = r
}

func (c *Controller) currentRepo() *Repo {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.repo
}

// Start lists and watches the cluster, as the controller's cluster cache
// does before it reconciles anything.
func (c *Controller) Start() error {
	if err := c.cache.EnsureSynced(); err != nil {
		return fmt.Errorf("argocd cluster cache: %w", err)
	}
	return nil
}

// Stop ends the cache's watches.
func (c *Controller) Stop() { c.cache.Invalidate() }

// Run reconciles every Application once per tick until ctx ends.
func (c *Controller) Run(ctx context.Context) {
	t := time.NewTicker(c.tick)
	defer t.Stop()
	for {
		if err := c.ReconcileAll(ctx); err != nil && ctx.Err() == nil {
			c.mu.Lock()
			c.error = err
			c.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Err returns the last error of the controller's own machinery (not a
// sync failure, which is an Application's state).
func (c *Controller) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.error
}

// ReconcileAll loads the instance's health settings and reconciles every
// Application in the namespace, sorted by name.
func (c *Controller) ReconcileAll(ctx context.Context) error {
	if err := c.loadSettings(ctx); err != nil {
		return err
	}
	list, err := c.dyn.Resource(gvrApplication).Namespace(c.opts.Namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("list applications: %w", err)
	}
	sort.Slice(list.Items, func(i, j int) bool { return list.Items[i].GetName() < list.Items[j].GetName() })
	for i := range list.Items {
		app := &v1alpha1.Application{}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(list.Items[i].Object, app); err != nil {
			return fmt.Errorf("application %s: %w", list.Items[i].GetName(), err)
		}
		if err := c.reconcile(ctx, app); err != nil && !apierrors.IsConflict(err) {
			return fmt.Errorf("application %s: %w", app.Name, err)
		}
	}
	return nil
}

// loadSettings reads the health scripts the instance runs: the ArgoCD
// CR's resourceHealthChecks on OpenShift GitOps, else argocd-cm.
func (c *Controller) loadSettings(ctx context.Context) error {
	h := newHealthScripts(c.health.bundled)
	cm, err := c.dyn.Resource(gvrConfigMap).Namespace(c.opts.Namespace).Get(ctx, "argocd-cm", metav1.GetOptions{})
	if err == nil {
		data, _, _ := unstructured.NestedStringMap(cm.Object, "data")
		h.loadConfigMap(data)
	} else if !apierrors.IsNotFound(err) {
		return fmt.Errorf("argocd-cm: %w", err)
	}
	cr, err := c.dyn.Resource(gvrArgoCD).Namespace(c.opts.Namespace).Get(ctx, c.opts.Instance, metav1.GetOptions{})
	if err == nil {
		h.loadArgoCDCR(cr)
	} else if !apierrors.IsNotFound(err) {
		return fmt.Errorf("argocd CR %s: %w", c.opts.Instance, err)
	}
	c.health = h
	return nil
}

// record adds an event for an Application.
func (c *Controller) record(app *v1alpha1.Application, e timeline.Event) {
	e.App = app.Name
	c.opts.Record.Add(e)
}

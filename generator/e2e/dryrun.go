package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/lowlat/lowlat/generator/tree"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
)

// fieldManager owns the fields lowlat applies, as ArgoCD's would on a cluster.
const fieldManager = "lowlat"

// Report is what the API server said about one tree.
type Report struct {
	Resources int // resources read from the tree, Namespaces included
	Failures  []Failure
	// Warnings are the server's Warning headers, per resource; they do not
	// fail the check but are worth a look (deprecated versions, say).
	Warnings []string
}

// Check sends every resource of a rendered tree to the API server with
// server-side apply and strict field validation. The tree's Namespaces are
// created for real first, as are what the platform would provide: the
// namespaces ArgoCD runs in and the RuntimeClasses the Node Tuning Operator
// creates for the tree's PerformanceProfiles, so that namespaced resources
// and Pods can be judged. Everything else is a dry run and leaves no trace.
// label prefixes file names in messages.
func (c *Cluster) Check(ctx context.Context, label string, t *tree.Tree) (*Report, error) {
	rs, fails := Resources(label, t)
	r, err := c.CheckResources(ctx, rs)
	if err != nil {
		return nil, err
	}
	r.Failures = append(fails, r.Failures...)
	return r, nil
}

// CheckResources is Check for resources already read.
func (c *Cluster) CheckResources(ctx context.Context, rs []Resource) (*Report, error) {
	a, err := c.newApplier()
	if err != nil {
		return nil, err
	}
	namespaces, platform, send, fails := Namespaces(rs)
	rep := &Report{Resources: len(rs), Failures: fails}
	for _, ns := range namespaces {
		a.check(ctx, ns, false, rep)
	}
	for _, obj := range append(namespaceObjects(platform), RuntimeClasses(rs)...) {
		if _, err := a.apply(ctx, obj, false); err != nil {
			return nil, fmt.Errorf("%s %s the platform provides: %w", obj.GetKind(), obj.GetName(), err)
		}
	}
	for _, r := range send {
		a.check(ctx, r, true, rep)
	}
	return rep, nil
}

// namespaceObjects are Namespaces with the given names and nothing else.
func namespaceObjects(names []string) []*unstructured.Unstructured {
	out := make([]*unstructured.Unstructured, 0, len(names))
	for _, n := range names {
		out = append(out, &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": n}}})
	}
	return out
}

// applier sends objects with server-side apply, finding each kind's
// resource and scope through discovery.
type applier struct {
	dyn      dynamic.Interface
	mapper   meta.ResettableRESTMapper
	warnings *warningLog
}

func (c *Cluster) newApplier() (*applier, error) {
	w := &warningLog{}
	cfg := rest.CopyConfig(c.Config)
	cfg.WarningHandler = w
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	return &applier{dyn: dyn, mapper: mapper, warnings: w}, nil
}

// check applies one resource and records a rejection or warnings.
func (a *applier) check(ctx context.Context, r Resource, dryRun bool, rep *Report) {
	a.warnings.take()
	if _, err := a.apply(ctx, r.Object, dryRun); err != nil {
		rep.Failures = append(rep.Failures, Failure{Resource: r.String(), Message: err.Error()})
	}
	for _, w := range a.warnings.take() {
		rep.Warnings = append(rep.Warnings, r.String()+": "+w)
	}
}

// apply sends obj as a server-side apply patch with strict field
// validation: unknown or duplicate fields are errors, not warnings.
// Namespaced objects without a namespace go to "default", as kubectl's
// would.
func (a *applier) apply(ctx context.Context, obj *unstructured.Unstructured, dryRun bool) (*unstructured.Unstructured, error) {
	gvk := obj.GroupVersionKind()
	m, err := a.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return nil, fmt.Errorf("the server does not serve %s: %w", gvk, err)
	}
	var client dynamic.ResourceInterface = a.dyn.Resource(m.Resource)
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		ns := obj.GetNamespace()
		if ns == "" {
			ns = metav1.NamespaceDefault
		}
		client = a.dyn.Resource(m.Resource).Namespace(ns)
	}
	body, err := json.Marshal(obj.Object)
	if err != nil {
		return nil, err
	}
	force := true
	opts := metav1.PatchOptions{FieldManager: fieldManager, FieldValidation: metav1.FieldValidationStrict, Force: &force}
	if dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	return client.Patch(ctx, obj.GetName(), types.ApplyPatchType, body, opts)
}

// warningLog collects the Warning headers of the requests in flight.
type warningLog struct {
	mu   sync.Mutex
	msgs []string
}

// HandleWarningHeader implements rest.WarningHandler.
func (w *warningLog) HandleWarningHeader(_ int, _ string, msg string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = append(w.msgs, msg)
}

// take returns the warnings so far and forgets them.
func (w *warningLog) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.msgs
	w.msgs = nil
	return out
}

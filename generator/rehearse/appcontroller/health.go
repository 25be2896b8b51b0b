package appcontroller

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/argoproj/argo-cd/v3/resource_customizations"
	"github.com/argoproj/gitops-engine/pkg/health"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/lowlat/lowlat/generator/argocd/health/luacheck"
)

// healthScripts finds and runs resource health scripts the way ArgoCD's
// controller does (argo-cd v3.3.19 util/lua GetHealthScript): a script
// the instance's settings install for the kind wins; else ArgoCD's bundled
// script for it, run with Lua's standard libraries; else no script, and
// gitops-engine's built-in Go checks apply.
type healthScripts struct {
	// overrides are the installed scripts by "<group>/<Kind>" ("<Kind>"
	// for the core group), as util/settings convertToOverrideKey keys them.
	overrides map[string]string
	// bundled holds resource_customizations/<group>/<Kind>/health.lua.
	bundled fs.FS
}

// healthConfigMapPrefix starts an argocd-cm key that installs a health
// script (util/settings appendResourceOverridesFromSplitKeys).
const healthConfigMapPrefix = "resource.customizations.health."

// newHealthScripts uses ArgoCD v3.3.19's bundled scripts, or those of
// another version's resource_customizations directory.
func newHealthScripts(bundled fs.FS) *healthScripts {
	if bundled == nil {
		bundled = resource_customizations.Embedded
	}
	return &healthScripts{overrides: map[string]string{}, bundled: bundled}
}

// overrideKey is util/lua GetConfigMapKey.
func overrideKey(gvk schema.GroupVersionKind) string {
	if gvk.Group == "" {
		return gvk.Kind
	}
	return gvk.Group + "/" + gvk.Kind
}

// loadConfigMap reads the health scripts of an argocd-cm's data.
func (h *healthScripts) loadConfigMap(data map[string]string) {
	for k, v := range data {
		groupKind, ok := strings.CutPrefix(k, healthConfigMapPrefix)
		if !ok {
			continue
		}
		switch parts := strings.Split(groupKind, "_"); len(parts) {
		case 2:
			h.overrides[parts[0]+"/"+parts[1]] = v
		case 1:
			h.overrides[groupKind] = v
		}
	}
}

// loadArgoCDCR reads spec.resourceHealthChecks of an argocd-operator
// ArgoCD CR, which the operator writes into argocd-cm as
// resource.customizations.health.<group>_<kind> keys.
func (h *healthScripts) loadArgoCDCR(cr *unstructured.Unstructured) {
	checks, _, _ := unstructured.NestedSlice(cr.Object, "spec", "resourceHealthChecks")
	data := map[string]string{}
	for _, c := range checks {
		m, ok := c.(map[string]any)
		if !ok {
			continue
		}
		group, _ := m["group"].(string)
		kind, _ := m["kind"].(string)
		check, _ := m["check"].(string)
		key := kind
		if group != "" {
			key = group + "_" + kind
		}
		data[healthConfigMapPrefix+key] = check
	}
	h.loadConfigMap(data)
}

// GetResourceHealth implements gitops-engine's health.HealthOverride.
func (h *healthScripts) GetResourceHealth(obj *unstructured.Unstructured) (*health.HealthStatus, error) {
	key := overrideKey(obj.GroupVersionKind())
	if script, ok := h.overrides[key]; ok && script != "" {
		return result(luacheck.Evaluate(script, obj.Object))
	}
	data, err := fs.ReadFile(h.bundled, path.Join(key, "health.lua"))
	if err != nil && h.bundled != fs.FS(resource_customizations.Embedded) {
		data, err = fs.ReadFile(resource_customizations.Embedded, path.Join(key, "health.lua"))
	}
	if err != nil {
		return nil, nil //nolint:nilerr // no bundled script: the Go checks decide
	}
	return result(luacheck.EvaluateBuiltin(string(data), obj.Object))
}

func result(r luacheck.Result, err error) (*health.HealthStatus, error) {
	if err != nil {
		return nil, fmt.Errorf("health script: %w", err)
	}
	return &health.HealthStatus{Status: health.HealthStatusCode(r.Status), Message: r.Message}, nil
}

// hasOverride reports whether the instance's settings install a script
// for a kind. Only such a script, or a built-in Go check, lets a Missing
// resource count against its Application; a kind with a bundled script
// alone does not (controller/health.go setApplicationHealth looks up the
// overrides, not resource_customizations).
func (h *healthScripts) hasOverride(gvk schema.GroupVersionKind) bool {
	return h.overrides[overrideKey(gvk)] != ""
}

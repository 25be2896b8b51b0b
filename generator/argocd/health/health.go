package health

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
)

//go:embed scripts/*.lua
var scripts embed.FS

// Check is one resource health check: a Lua script ArgoCD runs with the
// live object as the global obj, returning {status, message}.
type Check struct {
	Group, Kind string
	Script      string
}

// ConfigMapKey is the argocd-cm key that installs the check in plain ArgoCD.
func (c Check) ConfigMapKey() string {
	return "resource.customizations.health." + c.Group + "_" + c.Kind
}

// All returns every check lowlat ships, sorted by group and kind. The
// scripts are named <group>_<kind>.lua.
func All() []Check {
	entries, err := scripts.ReadDir("scripts")
	if err != nil {
		panic(fmt.Sprintf("embedded health scripts: %v", err)) // the embed pattern guarantees the directory
	}
	var out []Check
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".lua")
		group, kind, ok := strings.Cut(name, "_")
		data, err := scripts.ReadFile(path.Join("scripts", e.Name()))
		if !ok || err != nil {
			panic(fmt.Sprintf("embedded health script %s: want <group>_<kind>.lua", e.Name()))
		}
		out = append(out, Check{Group: group, Kind: kind, Script: string(data)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ConfigMapKey() < out[j].ConfigMapKey() })
	return out
}

// Application is the group and kind of ArgoCD Applications, whose check an
// app-of-apps always needs.
const (
	ApplicationGroup = "argoproj.io"
	ApplicationKind  = "Application"
)

// For returns the checks a tree needs: the Application check, and the
// check of every other kind inUse reports.
func For(inUse func(group, kind string) bool) []Check {
	var out []Check
	for _, c := range All() {
		if c.Group == ApplicationGroup && c.Kind == ApplicationKind || inUse(c.Group, c.Kind) {
			out = append(out, c)
		}
	}
	return out
}

// Reused is a kind whose health lowlat's waves depend on, checked by ArgoCD
// itself.
type Reused struct {
	Group, Kind string
	// Lua is true when ArgoCD's check is a script in its
	// resource_customizations directory; false for its Go checks.
	Lua bool
	Why string
}

// Overrides are the kinds lowlat ships a check for although ArgoCD bundles
// one, and why: the shipped script must agree with ArgoCD's own test cases
// (argo-cd v3.3.19) so it changes nothing on an ArgoCD that has the fix.
var Overrides = map[string]string{
	"kubevirt.io/VirtualMachine": "before argo-cd PR #29664 (merged 2026-09-10) the bundled check reports a VM declared stopped as Suspended for ever, so the Application's sync never finishes",
}

// Builtin lists the checks lowlat relies on without shipping them.
var Builtin = []Reused{
	{Group: "operators.coreos.com", Kind: "Subscription", Lua: true,
		Why: "Progressing until the install plan completed (state AtLatestKnown); the CSV's own success is gated by the operator CRs of the next wave and the retry of their sync"},
	{Group: "", Kind: "Pod",
		Why: "a run-once test pod is Progressing until it completes, and Pending while the SR-IOV VFs it asks for do not exist yet"},
}

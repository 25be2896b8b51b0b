// Package luacheck runs ArgoCD resource health checks (Lua scripts) the
// way ArgoCD's controller runs them, for the tests that prove lowlat's checks
// and for the rollout rehearsal. It is apart from package health so that
// what renders the checks (and lowlat-fn) does not link a Lua interpreter.
package luacheck

import (
	"context"
	"fmt"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// statuses are the health statuses ArgoCD accepts from a script.
var statuses = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true,
	"Suspended": true, "Missing": true, "Unknown": true,
}

// Result is what a health script returned.
type Result struct{ Status, Message string }

// scriptBudget bounds one script's run, as ArgoCD's controller bounds it.
const scriptBudget = time.Second

// Evaluate runs a health script the way ArgoCD's controller does: a fresh
// gopher-lua state with only the package, base and table libraries (no
// string or math library, so scripts that use them fail here as they would
// there), the object as the global obj, and a one second budget.
func Evaluate(script string, obj map[string]any) (Result, error) {
	return evaluate(script, obj, false)
}

// EvaluateBuiltin runs one of ArgoCD's own bundled scripts, for which its
// controller opens every standard library (argo-cd v3.3.19 util/lua
// GetHealthScript: "standard libraries will be enabled for all built-in
// scripts").
func EvaluateBuiltin(script string, obj map[string]any) (Result, error) {
	return evaluate(script, obj, true)
}

func evaluate(script string, obj map[string]any, openLibs bool) (Result, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: !openLibs})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}} {
		l.Push(l.NewFunction(lib.open))
		l.Push(lua.LString(lib.name))
		l.Call(1, 0)
	}
	ctx, cancel := context.WithTimeout(context.Background(), scriptBudget)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", toLua(l, obj))
	if err := l.DoString(script); err != nil {
		return Result{}, err
	}
	table, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		return Result{}, fmt.Errorf("script returned %s, not a table", l.Get(-1).Type())
	}
	r := Result{Status: lua.LVAsString(table.RawGetString("status")), Message: lua.LVAsString(table.RawGetString("message"))}
	if !statuses[r.Status] {
		return r, fmt.Errorf("script returned status %q, which ArgoCD rejects", r.Status)
	}
	return r, nil
}

// toLua converts a decoded JSON value into Lua values as ArgoCD does:
// objects and arrays become tables (arrays 1-based), numbers LNumber.
func toLua(l *lua.LState, v any) lua.LValue {
	switch v := v.(type) {
	case map[string]any:
		t := l.NewTable()
		for k, e := range v {
			t.RawSetString(k, toLua(l, e))
		}
		return t
	case []any:
		t := l.NewTable()
		for _, e := range v {
			t.Append(toLua(l, e))
		}
		return t
	case string:
		return lua.LString(v)
	case float64:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case bool:
		return lua.LBool(v)
	default:
		return lua.LNil
	}
}

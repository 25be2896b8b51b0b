package health_test

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v3/resource_customizations"
	gohealth "github.com/argoproj/gitops-engine/pkg/health"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/argocd/health"
	"github.com/lowlat/lowlat/generator/argocd/health/luacheck"
)

// TestScriptsAgainstSamples runs each shipped script against
// testdata/<group>_<kind>/<status>-<case>.yaml; the file name's prefix is
// the status the script must return.
func TestScriptsAgainstSamples(t *testing.T) {
	for _, c := range health.All() {
		dir := filepath.Join("testdata", c.Group+"_"+c.Kind)
		samples, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		seen := map[string]bool{}
		for _, sample := range samples {
			want, _, _ := strings.Cut(filepath.Base(sample), "-")
			want = strings.ToUpper(want[:1]) + want[1:]
			seen[want] = true
			t.Run(c.Kind+"/"+filepath.Base(sample), func(t *testing.T) {
				got, err := luacheck.Evaluate(c.Script, readObject(t, sample))
				if err != nil {
					t.Fatal(err)
				}
				// ArgoCD's Job check gives a running or suspended Job no message; ours
				// follows it (TestJobCheckAgreesWithArgoCDs).
				quiet := c.Kind == "Job" && (want == "Progressing" || want == "Suspended")
				if got.Status != want || got.Message == "" && !quiet {
					t.Errorf("got %s (%q), want %s with a message", got.Status, got.Message, want)
				}
			})
		}
		for _, want := range []string{"Progressing", "Healthy", "Degraded"} {
			if !seen[want] {
				t.Errorf("%s: no %s sample under %s", c.Kind, strings.ToLower(want), dir)
			}
		}
	}
}

func TestForShipsTheApplicationCheckAndTheKindsInUse(t *testing.T) {
	got := health.For(func(group, kind string) bool { return kind == "MachineConfigPool" })
	var keys []string
	for _, c := range got {
		keys = append(keys, c.ConfigMapKey())
	}
	want := "resource.customizations.health.argoproj.io_Application resource.customizations.health.machineconfiguration.openshift.io_MachineConfigPool"
	if strings.Join(keys, " ") != want {
		t.Errorf("got %v, want %s", keys, want)
	}
}

// TestLowlatShipsOnlyChecksArgoCDLacks keeps the division of labour honest
// against the ArgoCD version lowlat targets: a script of ours for a kind
// ArgoCD covers would override ArgoCD's, and a kind we rely on must really
// have a built-in script.
func TestLowlatShipsOnlyChecksArgoCDLacks(t *testing.T) {
	for _, c := range health.All() {
		if _, over := health.Overrides[c.Group+"/"+c.Kind]; over {
			continue
		}
		if _, err := fs.Stat(resource_customizations.Embedded, path.Join(c.Group, c.Kind, "health.lua")); err == nil {
			t.Errorf("%s/%s: ArgoCD ships a health check; reuse it instead of %s", c.Group, c.Kind, c.ConfigMapKey())
		}
	}
	for _, b := range health.Builtin {
		_, err := fs.Stat(resource_customizations.Embedded, path.Join(b.Group, b.Kind, "health.lua"))
		if b.Lua && err != nil {
			t.Errorf("%s/%s: ArgoCD has no health.lua to rely on: %v", b.Group, b.Kind, err)
		}
		if !b.Lua && err == nil {
			t.Errorf("%s/%s: ArgoCD now ships a Lua check; mark it Lua and test it", b.Group, b.Kind)
		}
	}
}

// TestReusedArgoCDScriptsBehaveAsTheirOwnTests runs ArgoCD's scripts for the
// kinds lowlat relies on through this package's runner, against ArgoCD's
// own health_test.yaml cases: it pins the behaviour the waves depend on
// (Subscription Progressing until AtLatestKnown) and shows the runner
// matches ArgoCD's.
func TestReusedArgoCDScriptsBehaveAsTheirOwnTests(t *testing.T) {
	for _, b := range health.Builtin {
		if !b.Lua {
			continue
		}
		dir := path.Join(b.Group, b.Kind)
		script := readEmbedded(t, path.Join(dir, "health.lua"))
		var cases struct {
			Tests []struct {
				HealthStatus luacheck.Result `json:"healthStatus"`
				InputPath    string          `json:"inputPath"`
			} `json:"tests"`
		}
		if err := yaml.Unmarshal(readEmbedded(t, path.Join(dir, "health_test.yaml")), &cases); err != nil {
			t.Fatal(err)
		}
		for _, tc := range cases.Tests {
			t.Run(b.Kind+"/"+path.Base(tc.InputPath), func(t *testing.T) {
				var obj map[string]any
				if err := yaml.Unmarshal(readEmbedded(t, path.Join(dir, tc.InputPath)), &obj); err != nil {
					t.Fatal(err)
				}
				got, err := luacheck.Evaluate(string(script), obj)
				if err != nil {
					t.Fatal(err)
				}
				if got != tc.HealthStatus {
					t.Errorf("got %+v, want %+v", got, tc.HealthStatus)
				}
			})
		}
	}
}

// TestOverridesAgreeWithArgoCD runs each override against the bundled
// check's own test cases: on an ArgoCD with the fix the override must not
// change a thing.
func TestOverridesAgreeWithArgoCD(t *testing.T) {
	shipped := map[string]health.Check{}
	for _, c := range health.All() {
		shipped[c.Group+"/"+c.Kind] = c
	}
	for key := range health.Overrides {
		c, ok := shipped[key]
		if !ok {
			t.Errorf("%s: listed as an override but no script is shipped", key)
			continue
		}
		var cases struct {
			Tests []struct {
				HealthStatus luacheck.Result `json:"healthStatus"`
				InputPath    string          `json:"inputPath"`
			} `json:"tests"`
		}
		if err := yaml.Unmarshal(readEmbedded(t, path.Join(key, "health_test.yaml")), &cases); err != nil {
			t.Fatal(err)
		}
		if len(cases.Tests) == 0 {
			t.Fatalf("%s: ArgoCD has no test cases to agree with", key)
		}
		for _, tc := range cases.Tests {
			t.Run(key+"/"+path.Base(tc.InputPath), func(t *testing.T) {
				var obj map[string]any
				if err := yaml.Unmarshal(readEmbedded(t, path.Join(key, tc.InputPath)), &obj); err != nil {
					t.Fatal(err)
				}
				got, err := luacheck.Evaluate(c.Script, obj)
				if err != nil {
					t.Fatal(err)
				}
				if got != tc.HealthStatus {
					t.Errorf("got %+v, ArgoCD's test wants %+v", got, tc.HealthStatus)
				}
			})
		}
	}
}

func TestScriptsNeedNoStringLibrary(t *testing.T) {
	_, err := luacheck.Evaluate(`return {status = string.lower("Healthy"), message = "x"}`, map[string]any{})
	if err == nil {
		t.Fatal("the runner opens the string library, which ArgoCD does not; it would hide script errors")
	}
}

func readObject(t *testing.T, file string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	if err := yaml.Unmarshal(data, &obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

func readEmbedded(t *testing.T, p string) []byte {
	t.Helper()
	data, err := fs.ReadFile(resource_customizations.Embedded, p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestJobCheckAgreesWithArgoCDs runs the shipped Job check and ArgoCD's Go
// check (gitops-engine pkg/health) on every Job sample: the same status
// always, and the same message unless the Job carries a perf run's
// verdict, which ours shows instead.
func TestJobCheckAgreesWithArgoCDs(t *testing.T) {
	var script string
	for _, c := range health.All() {
		if c.Group == "batch" && c.Kind == "Job" {
			script = c.Script
		}
	}
	if script == "" {
		t.Fatal("no batch/Job check is shipped")
	}
	samples, _ := filepath.Glob(filepath.Join("testdata", "batch_Job", "*.yaml"))
	for _, sample := range samples {
		t.Run(filepath.Base(sample), func(t *testing.T) {
			obj := readObject(t, sample)
			ours, err := luacheck.Evaluate(script, obj)
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := gohealth.GetResourceHealth(&unstructured.Unstructured{Object: obj}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if ours.Status != string(theirs.Status) {
				t.Errorf("status: ours %s, ArgoCD's %s", ours.Status, theirs.Status)
			}
			verdict, _, _ := unstructured.NestedString(obj, "metadata", "annotations", "lowlat.dev/verdict")
			switch {
			case verdict != "" && ours.Status == "Degraded":
				if ours.Message != verdict {
					t.Errorf("message %q, want the verdict %q", ours.Message, verdict)
				}
			case ours.Message != theirs.Message:
				t.Errorf("message: ours %q, ArgoCD's %q", ours.Message, theirs.Message)
			}
		})
	}
}

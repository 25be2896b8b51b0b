package twin

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/lowlat/lowlat/generator/gates"
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/operators"
)

// TestWaitParsesTheGatesLowlatRenders runs every kind of wait Job lowlat
// renders through the twin's oc wait parser and evaluator.
func TestWaitParsesTheGatesLowlatRenders(t *testing.T) {
	pool := &unstructured.Unstructured{Object: map[string]any{"status": map[string]any{"configuration": map[string]any{
		"name":   "rendered-cnf-abc",
		"source": []any{map[string]any{"name": "00-worker"}, map[string]any{"name": "50-performance-cnf"}, map[string]any{"name": "99-lowlat-cnf-tuning-0123456789"}},
	}}}}
	// The pool still runs an earlier tuning: the profile's config, an
	// earlier marker.
	untuned := &unstructured.Unstructured{Object: map[string]any{"status": map[string]any{"configuration": map[string]any{
		"source": []any{map[string]any{"name": "00-worker"}, map[string]any{"name": "50-performance-cnf"}, map[string]any{"name": "99-lowlat-cnf-tuning-9876543210"}},
	}}}}
	node := func(vfs string) *unstructured.Unstructured {
		return &unstructured.Unstructured{Object: map[string]any{"status": map[string]any{"allocatable": map[string]any{"openshift.io/fronthaul": vfs}}}}
	}
	csv := func(phase string) *unstructured.Unstructured {
		return &unstructured.Unstructured{Object: map[string]any{"status": map[string]any{"phase": phase}}}
	}
	for _, tc := range []struct {
		name     string
		job      any
		resource string
		yes, no  *unstructured.Unstructured
	}{
		{"pool tuned", gates.PoolTuned("cnf", "99-lowlat-cnf-tuning-0123456789", 2), "machineconfigpools.machineconfiguration.openshift.io", pool, untuned},
		{"VFs advertised", gates.NetworkReady("cnf", "fronthaul", "fronthaul", map[string]string{"node-role.kubernetes.io/cnf": ""}, 1), "nodes", node("1"), node("0")},
		{"CSV succeeded", gates.OperatorsReady([]operators.Operator{operators.SRIOV})[0], "clusterserviceversions.operators.coreos.com", csv("Succeeded"), csv("Installing")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := tc.job.(kube.Job).Spec.Template.Spec.Containers[0].Command
			if cmd[0] != "oc" || cmd[1] != "wait" {
				t.Fatalf("not an oc wait: %v", cmd)
			}
			w, err := parseWait(cmd[2:])
			if err != nil {
				t.Fatal(err)
			}
			if w.resource != tc.resource || w.timeout < time.Minute {
				t.Errorf("resource %q timeout %s", w.resource, w.timeout)
			}
			if ok, err := w.met(tc.yes); !ok || err != nil {
				t.Errorf("not met on %v: %v", tc.yes.Object, err)
			}
			if ok, _ := w.met(tc.no); ok {
				t.Errorf("met on %v", tc.no.Object)
			}
		})
	}
}

func TestWaitRefusesWhatKubectlRefuses(t *testing.T) {
	for args, want := range map[string]string{
		"nodes --for=condition=Ready": "no name was specified",
		"nodes/a":                     "--for is required",
		"nodes/a --for=jsonpath=.status.phase=Running": "jsonpath wait format",
		"nodes/a --for=delete --all":                   "unrecognized condition",
		"nodes/a --for=condition=Ready --watch":        "not modelled",
	} {
		_, err := parseWait(strings.Fields(args))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", args, err, want)
		}
	}
}

func TestWaitConditionAndAmbiguousJSONPath(t *testing.T) {
	w, err := parseWait([]string{"mcp/cnf", "--for=condition=Updated"})
	if err != nil {
		t.Fatal(err)
	}
	obj := &unstructured.Unstructured{Object: map[string]any{"status": map[string]any{"conditions": []any{
		map[string]any{"type": "Updated", "status": "True"}}}}}
	if ok, _ := w.met(obj); !ok {
		t.Error("condition Updated=True not met")
	}
	w, err = parseWait([]string{"mcp/cnf", "--for=jsonpath={.status.conditions[*].type}=Updated"})
	if err != nil {
		t.Fatal(err)
	}
	obj.Object["status"].(map[string]any)["conditions"] = append(obj.Object["status"].(map[string]any)["conditions"].([]any),
		map[string]any{"type": "Updating", "status": "False"})
	if _, err := w.met(obj); err == nil || !strings.Contains(err.Error(), "more than one value") {
		t.Errorf("two values: got %v", err)
	}
}

package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lowlat/lowlat/generator/results/pull"
)

// pulledRun lays a kube-burner metrics directory out as lowlat results pull
// does.
func pulledRun(t *testing.T, store, name, phase, metrics string, finished time.Time) {
	t.Helper()
	m := pull.Meta{Name: name, Namespace: "lowlat-perf", Cluster: "lab1", Pool: "cnf-c5", Phase: phase, Test: "kube-burner",
		Series: "kube-burner-" + phase, Tuning: "f35939b461", Revision: "0123456789abcdef", Finished: finished}
	dir := m.Path(store)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(metrics)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(metrics, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	meta, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, pull.MetaFile), meta, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCompareLatestComparesEachPoolsNewestRunWithTheOneBefore: with a
// baseline and a re-test pulled, --latest compares them, and names both.
func TestCompareLatestComparesEachPoolsNewestRunWithTheOneBefore(t *testing.T) {
	store := t.TempDir()
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	pulledRun(t, store, "kube-burner-baseline", "baseline", "../../fixtures/kube-burner/baseline", t0)
	pulledRun(t, store, "kube-burner-retest-aaaaaaaaaa", "retest", "../../fixtures/kube-burner/retest", t0.Add(time.Hour))
	code, out, errOut := run("results", "compare", "--latest", store)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "lab1/cnf-c5: kube-burner-baseline (baseline") || !strings.Contains(out, "→ kube-burner-retest-aaaaaaaaaa (retest") || !strings.Contains(out, "P99") {
		t.Errorf("output does not name the pair and compare it:\n%s", out)
	}
}

func TestCompareLatestSaysWhatIsMissing(t *testing.T) {
	store := t.TempDir()
	pulledRun(t, store, "kube-burner-baseline", "baseline", "../../fixtures/kube-burner/baseline", time.Now())
	code, _, errOut := run("results", "compare", "--latest", store)
	if code == 0 || !strings.Contains(errOut, "no pool with two kube-burner runs") || !strings.Contains(errOut, "lowlat results pull") {
		t.Errorf("exit %d, stderr %q: want an error that says to pull first", code, errOut)
	}
	if code, _, errOut := run("results", "compare", "--latest", store, "extra"); code == 0 {
		t.Errorf("--latest with two arguments passed: %s", errOut)
	}
}

func TestPullWithoutAClusterSaysSo(t *testing.T) {
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "none"))
	t.Setenv("HOME", t.TempDir())
	code, _, errOut := run("results", "pull", "-o", t.TempDir())
	if code == 0 || !strings.Contains(errOut, "no cluster to pull from") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := run("results", "pull"); code == 0 || !strings.Contains(errOut, "output") {
		t.Errorf("pull without -o: exit %d, stderr %q", code, errOut)
	}
}

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/render"
)

func TestFnWritesResultsAndExitsNonZero(t *testing.T) {
	in := `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items: []
functionConfig:
  apiVersion: lowlat.dev/v1alpha1
  kind: Inventory
  metadata: {name: bad}
  spec: {openshift: {version: "4.20"}, clusters: []}
`
	var stdout, stderr bytes.Buffer
	code := Main([]string{"fn"}, strings.NewReader(in), &stdout, &stderr)
	if code == 0 {
		t.Fatal("fn succeeded on an inventory without clusters")
	}
	if !strings.Contains(stdout.String(), "severity: error") || !strings.Contains(stdout.String(), "spec.clusters") {
		t.Errorf("no error Result on stdout:\n%s", stdout.String())
	}
	if n := strings.Count(stderr.String(), "list at least one cluster"); n != 1 {
		t.Errorf("stderr states the problem %d times, want once:\n%s", n, stderr.String())
	}
}

func TestFnEmitsTheOverlayOfTheSelectedCluster(t *testing.T) {
	data, err := os.ReadFile(workshop)
	if err != nil {
		t.Fatal(err)
	}
	in := "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n" + indent(string(data))
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"fn"}, strings.NewReader(in), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"kind: PerformanceProfile", "name: cnf-c5", "argocd.argoproj.io/sync-wave"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestCheckReportsUnsafeSyncOrder(t *testing.T) {
	dir := writeWorkshop(t)
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"check", "-f", workshop, "-d", dir}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("a fresh render fails the check (exit %d):\n%s%s", code, stdout.String(), stderr.String())
	}
	app := filepath.Join(dir, layout.AppsDir("lab1"), "application-lab1-perftest-retest.yaml")
	data, err := os.ReadFile(app)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(app, bytes.Replace(data, []byte(`sync-wave: "20"`), []byte(`sync-wave: "-1"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	code := Main([]string{"check", "-d", dir}, nil, &stdout, &stderr)
	if code == 0 || !strings.Contains(stdout.String(), "Job lowlat-perf/kube-burner-retest") || !strings.Contains(stdout.String(), "re-test after the change") {
		t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), "unsafe order") {
		t.Errorf("stderr does not say what failed: %s", stderr.String())
	}
}

func writeWorkshop(t *testing.T) string {
	t.Helper()
	inv, err := inventory.Load(workshop)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := render.Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := tr.Write(dir, layout.Roots); err != nil {
		t.Fatal(err)
	}
	return dir
}

func indent(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("  " + line + "\n")
	}
	return b.String()
}

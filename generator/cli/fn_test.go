package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

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
	rl := decodeResourceList(t, stdout.Bytes())
	if len(rl.Results) != 1 || rl.Results[0].Severity != "error" || rl.Results[0].Field.Path != "spec.clusters" {
		t.Errorf("want one error Result about spec.clusters, got:\n%s", stdout.String())
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
	found := false
	for _, item := range decodeResourceList(t, stdout.Bytes()).Items {
		if item.Kind == "PerformanceProfile" && item.Metadata.Name == "cnf-c5" {
			found = item.Metadata.Annotations["argocd.argoproj.io/sync-wave"] != ""
		}
	}
	if !found {
		t.Errorf("no PerformanceProfile cnf-c5 with a sync wave in:\n%s", stdout.String())
	}
}

// resourceList is what the tests read of the function's output.
type resourceList struct {
	Items []struct {
		Kind     string `yaml:"kind"`
		Metadata struct {
			Name        string            `yaml:"name"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"metadata"`
	} `yaml:"items"`
	Results []struct {
		Severity string `yaml:"severity"`
		Field    struct {
			Path string `yaml:"path"`
		} `yaml:"field"`
	} `yaml:"results"`
}

// decodeResourceList reads the function's output as kustomize does, as
// YAML (of which the JSON it writes is a form).
func decodeResourceList(t *testing.T, data []byte) resourceList {
	t.Helper()
	var rl resourceList
	if err := yaml.Unmarshal(data, &rl); err != nil {
		t.Fatalf("output is not a ResourceList: %v\n%s", err, data)
	}
	return rl
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

// TestFnPicksAClusterWithTheFlag: standalone on a fleet's inventory, --cluster
// picks the cluster; without it the error says how to pick one.
func TestFnPicksAClusterWithTheFlag(t *testing.T) {
	fleet := "../../fixtures/rehearse/fleet.yaml"
	code, stdout, stderr := runLowlat("", "fn", "--cluster", "edge-b", fleet)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "name: spare") || strings.Contains(stdout, "edge-a-x7k2p") {
		t.Errorf("want edge-b's objects (its pool spare), not edge-a's:\n%.2000s", stdout)
	}
	code, _, stderr = runLowlat("", "fn", fleet)
	if code == 0 || !strings.Contains(stderr, "run by hand, with --cluster") {
		t.Errorf("without --cluster: exit %d, stderr %s", code, stderr)
	}
	code, _, stderr = runLowlat("", "fn", "--cluster", "edge-z", fleet)
	if code == 0 || !strings.Contains(stderr, `--cluster names cluster "edge-z", which the inventory does not have; it has edge-a, edge-b, edge-c`) {
		t.Errorf("an unknown cluster: exit %d, stderr %s", code, stderr)
	}
}

// A problem of the inventory `lowlat fn` runs on names its file and line as
// render does, and the output ends its line, so that kustomize's own message
// that follows starts on a new one.
func TestFnNamesTheFileAndLineOfAProblem(t *testing.T) {
	data, err := os.ReadFile(workshop)
	if err != nil {
		t.Fatal(err)
	}
	before, _, _ := bytes.Cut(data, []byte("region: us-east-2"))
	line := bytes.Count(before, []byte("\n")) + 1
	file := filepath.Join(t.TempDir(), "inventory.yaml")
	if err := os.WriteFile(file, bytes.Replace(data, []byte("region: us-east-2"), []byte("region: moon"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runLowlat("", "fn", file)
	want := fmt.Sprintf("%s:%d: spec.clusters[0].region: Invalid value: \"moon\"", file, line)
	if code == 0 || stdout != "" || !strings.Contains(stderr, want) || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("exit %d, stdout %q, stderr %q; want a failure naming %q, ending its line", code, stdout, stderr, want)
	}
}

package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lowlat/lowlat/generator/review"
)

const (
	diffInventory = "inv/inventory.yaml"
	diffTopology  = "../../fixtures/topologies/c5.metal.lscpu"
)

// diffRepo makes a git repository with two commits of a small inventory
// whose c5.metal pool reads its topology from an lscpu file in the
// repository: HEAD~1 reserves 4 CPUs, HEAD 8. With rendered, each commit also
// holds the tree `lowlat render` writes. The test runs inside the repository.
func diffRepo(t *testing.T, rendered bool) string {
	t.Helper()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": os.DevNull, "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "lowlat", "GIT_AUTHOR_EMAIL": "lowlat@example.com",
		"GIT_COMMITTER_NAME": "lowlat", "GIT_COMMITTER_EMAIL": "lowlat@example.com",
	} {
		t.Setenv(k, v)
	}
	topo, err := os.ReadFile(diffTopology)
	mustDo(t, err)
	inv, err := os.ReadFile("../review/testdata/inventory.yaml")
	mustDo(t, err)
	withTopology := strings.Replace(string(inv), "instanceType: c5.metal\n",
		"instanceType: c5.metal\n      topology: {lscpu: ../topologies/c5.metal.lscpu}\n", 1)
	writeRepoFile(t, dir, "topologies/c5.metal.lscpu", string(topo))
	t.Chdir(dir)
	git(t, "init", "-q", "-b", "main")
	commitInventory(t, withTopology, rendered, "reserve 4")
	commitInventory(t, strings.Replace(withTopology, "reservedCPUs: 4\n", "reservedCPUs: 8\n", 1), rendered, "reserve 8")
	return dir
}

func commitInventory(t *testing.T, inventory string, rendered bool, msg string) {
	t.Helper()
	writeRepoFile(t, ".", diffInventory, inventory)
	if rendered {
		if code, _, stderr := runLowlat("", "render", "-f", diffInventory, "-o", "."); code != 0 {
			t.Fatalf("render: %s", stderr)
		}
	}
	git(t, "add", "-A")
	git(t, "commit", "-q", "-m", msg)
}

func git(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func writeRepoFile(t *testing.T, dir, p, content string) {
	t.Helper()
	full := filepath.Join(dir, p)
	mustDo(t, os.MkdirAll(filepath.Dir(full), 0o755))
	mustDo(t, os.WriteFile(full, []byte(content), 0o644))
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestDiffRendersEachRevisionsInventory(t *testing.T) {
	diffRepo(t, false)
	// The revisions' own lscpu capture is used, not the working tree's.
	mustDo(t, os.Remove("topologies/c5.metal.lscpu"))
	code, out, stderr := runLowlat("", "diff", "HEAD~1", "HEAD", "-f", diffInventory, "-o", "markdown")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		review.MarkdownMarker,
		"**Node reboot**: lab1 pool cnf-c5 (2 nodes, 1 at a time: about 29 min): PerformanceProfile cnf-c5 changed",
		"spec.cpu.reserved: `0-1,48-49` → `0-3,48-51`",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

func TestDiffReadsCommittedTreesWithTheirNodeCounts(t *testing.T) {
	diffRepo(t, true)
	code, out, stderr := runLowlat("", "diff", "--from", "committed", "HEAD~1", "HEAD", "-f", diffInventory, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r review.Report
	mustDo(t, json.Unmarshal([]byte(out), &r))
	if len(r.Warnings) == 0 || r.Warnings[0].Kind != review.WarnReboot || r.Warnings[0].Nodes == nil || *r.Warnings[0].Nodes != 2 {
		t.Errorf("first warning is not a reboot of 2 nodes: %s", out)
	}
	if r.Head.Inventory != "HEAD:"+diffInventory {
		t.Errorf("head inventory %q, want HEAD:%s", r.Head.Inventory, diffInventory)
	}
}

// A change of the generator alone leaves the inventory as it was: only the
// committed trees show it.
func TestDiffFromCommittedShowsAGeneratorChange(t *testing.T) {
	diffRepo(t, true)
	p := "overlays/aws/lab1/tuning/performanceprofile-cnf-c5.yaml"
	data, err := os.ReadFile(p)
	mustDo(t, err)
	writeRepoFile(t, ".", p, strings.Replace(string(data), "realTimeKernel:\n    enabled: false", "realTimeKernel:\n    enabled: true", 1))
	git(t, "commit", "-q", "-am", "generator change")
	_, rendered, _ := runLowlat("", "diff", "HEAD~1", "HEAD", "-f", diffInventory)
	_, committed, _ := runLowlat("", "diff", "--from", "committed", "HEAD~1", "HEAD", "-f", diffInventory)
	if !strings.Contains(rendered, "no changes") || !strings.Contains(committed, "~ spec.realTimeKernel.enabled: false → true") {
		t.Errorf("render mode:\n%s\ncommitted mode:\n%s", rendered, committed)
	}
}

func TestDiffFindsTheInventoryInsideADirectory(t *testing.T) {
	diffRepo(t, true)
	code, out, stderr := runLowlat("", "diff", "--from", "committed", "HEAD~1", ".", "-f", diffInventory, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r review.Report
	mustDo(t, json.Unmarshal([]byte(out), &r))
	if r.Head.Inventory != diffInventory || len(r.Warnings) == 0 || r.Warnings[0].Nodes == nil {
		t.Errorf("head inventory %q, warnings %+v", r.Head.Inventory, r.Warnings)
	}
}

func TestDiffExitCodes(t *testing.T) {
	diffRepo(t, false)
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"changes exit 0 by default", []string{"HEAD~1", "HEAD"}, 0},
		{"changes exit 1 with --exit-code", []string{"--exit-code", "HEAD~1", "HEAD"}, 1},
		{"no changes exit 0 with --exit-code", []string{"--exit-code", "HEAD", "HEAD"}, 0},
		{"an error exits 1 by default", []string{"nope", "HEAD"}, 1},
		{"an error exits 2 with --exit-code", []string{"--exit-code", "nope", "HEAD"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"diff", "-f", diffInventory}, tc.args...)
			if code, _, stderr := runLowlat("", args...); code != tc.want {
				t.Errorf("exit %d, want %d; stderr %s", code, tc.want, stderr)
			}
		})
	}
}

func TestDiffErrors(t *testing.T) {
	dir := diffRepo(t, false)
	writeRepoFile(t, dir, "inv/bad.yaml", "apiVersion: lowlat.dev/v1alpha1\nkind: Inventory\nmetadata: {name: bad}\nspec:\n  clusterz: []\n")
	git(t, "add", "-A")
	git(t, "commit", "-q", "-m", "bad inventory")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a side that is neither a directory nor a revision is refused", []string{"nope", "HEAD"}, `BASE: "nope" is neither a directory nor a git revision`},
		{"an inventory file for a revision side is refused", []string{"HEAD~1", "HEAD", "--head-inventory", diffInventory}, "HEAD: HEAD: an inventory file applies to a directory side only"},
		{"an unknown output format is refused", []string{"-o", "yaml", "HEAD", "HEAD"}, `--output "yaml" is not one of text, markdown, json`},
		{"an unknown colour mode is refused", []string{"--color", "sometimes", "HEAD", "HEAD"}, `--color "sometimes" is not one of auto, always, never`},
		{"an unknown revision source is refused", []string{"--from", "cache", "HEAD", "HEAD"}, `--from "cache" is not one of render, committed`},
		{"a negative Markdown limit is refused", []string{"--markdown-limit", "-1", "HEAD", "HEAD"}, "--markdown-limit -1 is negative"},
		{"a revision without the inventory names both", []string{"-f", "missing.yaml", "HEAD~1", "HEAD"}, "BASE: HEAD~1:missing.yaml: no such file at that revision"},
		{"an inventory outside the repository is refused", []string{"-f", "../x.yaml", "HEAD", "HEAD"}, "inventory ../x.yaml is outside the git repository"},
		{"an invalid inventory names the revision, line and field", []string{"-f", "inv/bad.yaml", "HEAD", "HEAD"}, "HEAD:inv/bad.yaml:5: spec.clusterz"},
		{"a wrong number of arguments is refused", []string{"HEAD"}, "accepts 2 arg(s), received 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"diff", "-f", diffInventory}, tc.args...)
			code, _, stderr := runLowlat("", args...)
			if code != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q, want it to contain %q", code, stderr, tc.want)
			}
		})
	}
}

func TestDiffColour(t *testing.T) {
	diffRepo(t, false)
	tests := []struct {
		name string
		mode string
		want bool
	}{
		{"always colours any output", "always", true},
		{"never colours nothing", "never", false},
		{"auto does not colour output that is not a terminal", "auto", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, out, _ := runLowlat("", "diff", "-f", diffInventory, "--color", tc.mode, "HEAD~1", "HEAD")
			if got := strings.Contains(out, "\x1b["); got != tc.want {
				t.Errorf("colour %v, want %v:\n%s", got, tc.want, out)
			}
		})
	}
}

// An inventory edited but not rendered leaves the working tree as HEAD
// renders it; diff says the tree is stale and how to render it, instead
// of "no changes".
func TestDiffSaysATreeIsStaleAndHowToRenderIt(t *testing.T) {
	diffRepo(t, true)
	inv, err := os.ReadFile(diffInventory)
	mustDo(t, err)
	writeRepoFile(t, ".", diffInventory, strings.Replace(string(inv), "reservedCPUs: 8\n", "reservedCPUs: 12\n", 1))
	for _, c := range []struct {
		args []string
		code int
	}{{nil, 1}, {[]string{"--exit-code"}, 2}} {
		code, out, stderr := runLowlat("", append([]string{"diff", "HEAD", ".", "-f", diffInventory}, c.args...)...)
		want := "file(s) in . differ from what inv/inventory.yaml renders, so the diff would not show the inventory's changes; run lowlat render -f inv/inventory.yaml -o ., then diff again"
		if code != c.code || out != "" || !strings.Contains(stderr, "HEAD: the rendered tree is stale: ") || !strings.Contains(stderr, want) {
			t.Errorf("diff %v: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, out, stderr, c.code, want)
		}
	}
	if code, _, stderr := runLowlat("", "render", "-f", diffInventory, "-o", "."); code != 0 {
		t.Fatalf("render: %s", stderr)
	}
	code, out, stderr := runLowlat("", "diff", "HEAD", ".", "-f", diffInventory)
	if code != 0 || !strings.Contains(out, "spec.cpu.reserved") {
		t.Errorf("after render: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

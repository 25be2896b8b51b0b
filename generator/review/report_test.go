package review

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lowlat/lowlat/generator/tree"
)

func compareCase(t *testing.T, file string) *Report {
	t.Helper()
	for _, tc := range goldenCases {
		if tc.file == file {
			r, err := Compare(tc.base(t), tc.head(t))
			must(t, err)
			return r
		}
	}
	t.Fatalf("no golden case %s", file)
	return nil
}

func TestMarkdownWarnsOfRebootsFirst(t *testing.T) {
	var b bytes.Buffer
	must(t, Markdown(&b, compareCase(t, "reserved-cpus"), 0))
	md := b.String()
	if !strings.HasPrefix(md, MarkdownMarker+"\n") {
		t.Errorf("markdown does not start with the marker %s:\n%s", MarkdownMarker, md)
	}
	warning := strings.Index(md, "**Node reboot**: lab1 pool cnf-c5 (2 nodes, 1 at a time: about 29 min): PerformanceProfile cnf-c5 changed")
	cpus := strings.Index(md, "**CPU partition**: lab1 PerformanceProfile cnf-c5 spec.cpu.reserved: `0-1,48-49` → `0-3,48-51`")
	firstSection := strings.Index(md, "\n#### ")
	if warning < 0 || cpus < 0 || firstSection < 0 || warning > firstSection || cpus > firstSection {
		t.Errorf("reboot and CPU warnings are not listed before the sections:\n%s", md)
	}
}

func TestMarkdownLimitKeepsWarnings(t *testing.T) {
	r := compareCase(t, "prune")
	var full, cut bytes.Buffer
	must(t, Markdown(&full, r, 0))
	limit := full.Len() - 200
	must(t, Markdown(&cut, r, limit))
	got := cut.String()
	if len(got) > limit {
		t.Errorf("markdown is %d bytes, more than the limit %d", len(got), limit)
	}
	for _, want := range []string{"**Not pruned**", "not shown: the comment would exceed its size limit"} {
		if !strings.Contains(got, want) {
			t.Errorf("limited markdown lacks %q:\n%s", want, got)
		}
	}
}

func TestLongSectionsCollapse(t *testing.T) {
	res := make([]ResourceDiff, collapseAfter+1)
	for i := range res {
		res[i] = ResourceDiff{Change: Added, Kind: "ConfigMap", Name: string(rune('a' + i))}
	}
	got := mdApp(AppDiff{Name: "workloads", Resources: res})
	if !strings.Contains(got, "<details><summary><b>workloads</b>: 16 added</summary>") {
		t.Errorf("a section of %d lines is not collapsed:\n%s", len(res), got)
	}
}

func TestTextColour(t *testing.T) {
	r := compareCase(t, "prune")
	var plain, coloured bytes.Buffer
	must(t, Text(&plain, r, false))
	must(t, Text(&coloured, r, true))
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("text without colour holds escape sequences")
	}
	for _, want := range []string{ansiRed + "    - Namespace lowlat-scratch" + ansiReset, ansiGreen + "        + spec.containers[name=collector]"} {
		if !strings.Contains(coloured.String(), want) {
			t.Errorf("coloured text lacks %q", want)
		}
	}
}

func TestSecondCompareIsIdentical(t *testing.T) {
	var first, second bytes.Buffer
	must(t, JSON(&first, compareCase(t, "add-pool")))
	must(t, JSON(&second, compareCase(t, "add-pool")))
	if first.String() != second.String() {
		t.Error("two comparisons of the same trees differ")
	}
}

func TestCompareErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{{
		name:  "a file that is not YAML names the side and the file",
		files: map[string]string{"base/x/a.yaml": "a: [b\n"},
		want:  "head base/x/a.yaml:",
	}, {
		name:  "a document without a kind is refused",
		files: map[string]string{"base/x/a.yaml": "metadata: {name: a}\n"},
		want:  "head base/x/a.yaml: document 1: no kind",
	}, {
		name:  "a document without a name is refused",
		files: map[string]string{"base/x/a.yaml": "kind: ConfigMap\n"},
		want:  "head base/x/a.yaml: document 1: ConfigMap has no metadata.name",
	}, {
		name: "one resource in two files of an Application is refused",
		files: map[string]string{
			"base/x/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
			"base/x/b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
		},
		want: "head base/x/b.yaml: ConfigMap a is also in base/x/a.yaml",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for p, content := range tc.files {
				writeGenerated(t, filepath.Join(dir, p), content)
			}
			head, err := Open(context.Background(), dir, OpenOptions{})
			must(t, err)
			_, err = Compare(&Side{Label: "empty", Tree: tree.New()}, head)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestOpenRefusesWhatIsNeitherDirectoryNorRevision(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(context.Background(), "no-such-thing", OpenOptions{RepoDir: dir})
	if !errors.Is(err, ErrNotASide) {
		t.Errorf("error %v, want %v", err, ErrNotASide)
	}
}

func writeGenerated(t *testing.T, p, content string) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Dir(p), 0o755))
	must(t, os.WriteFile(p, []byte(tree.Header+content), 0o644))
}

func TestFilesThatAreNotYAMLDiffAsText(t *testing.T) {
	base, head := t.TempDir(), t.TempDir()
	writeGenerated(t, filepath.Join(base, "krm/lab1/topology.lscpu"), "0,0,0,0\n1,1,0,0\n")
	writeGenerated(t, filepath.Join(head, "krm/lab1/topology.lscpu"), "0,0,0,0\n1,0,0,0\n")
	b, err := Open(context.Background(), base, OpenOptions{})
	must(t, err)
	h, err := Open(context.Background(), head, OpenOptions{})
	must(t, err)
	r, err := Compare(b, h)
	must(t, err)
	var out bytes.Buffer
	must(t, Text(&out, r, false))
	want := "  (krm)\n    ~ File krm/lab1/topology.lscpu\n        ~ content:\n              …\n              0,0,0,0\n            - 1,1,0,0\n            + 1,0,0,0\n"
	if !strings.Contains(out.String(), want) {
		t.Errorf("text lacks %q:\n%s", want, out.String())
	}
}

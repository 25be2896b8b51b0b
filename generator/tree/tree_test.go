package tree

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type object struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Data map[string]string `json:"data,omitempty"`
}

func obj(kind, name string, data map[string]string) object {
	o := object{APIVersion: "v1", Kind: kind, Data: data}
	o.Metadata.Name = name
	return o
}

func sample(t *testing.T, names ...string) *Tree {
	t.Helper()
	tr := New()
	for _, n := range names {
		if _, err := tr.Add("overlays/aws/lab1/tuning", obj("ConfigMap", n, map[string]string{"b": "2", "a": "1"})); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.Kustomize(map[string][]string{"overlays/aws/lab1": {"tuning"}}); err != nil {
		t.Fatal(err)
	}
	return tr
}

var roots = []string{"base", "overlays", "apps"}

func TestAddNamesFilesByKindAndNameWithHeaderAndSortedKeys(t *testing.T) {
	tr := sample(t, "One")
	want := Header + "apiVersion: v1\ndata:\n  a: \"1\"\n  b: \"2\"\nkind: ConfigMap\nmetadata:\n  name: One\n"
	got, ok := tr.File("overlays/aws/lab1/tuning/configmap-one.yaml")
	if !ok {
		t.Fatalf("file missing; have %v", tr.Paths())
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestKustomizeListsFilesAndExtraDirectories(t *testing.T) {
	tr := sample(t, "b", "a")
	got, _ := tr.File("overlays/aws/lab1/tuning/kustomization.yaml")
	want := Header + "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- configmap-a.yaml\n- configmap-b.yaml\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, ok := tr.File("overlays/aws/lab1/kustomization.yaml"); !ok {
		t.Error("entry kustomization missing")
	}
}

func TestTwoResourcesInOneFileAreRejected(t *testing.T) {
	tr := New()
	_, _ = tr.Add("base", obj("ConfigMap", "x", nil))
	if _, err := tr.Add("base", obj("ConfigMap", "x", nil)); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("want ErrDuplicate, got %v", err)
	}
}

func TestWriteThenReadRoundTripsAndSecondWriteIsIdentical(t *testing.T) {
	dir := t.TempDir()
	tr := sample(t, "a", "b")
	for i := 0; i < 2; i++ {
		if err := tr.Write(dir, roots); err != nil {
			t.Fatal(err)
		}
		got, err := Read(dir, roots)
		if err != nil {
			t.Fatal(err)
		}
		if changes := Compare(tr, got); len(changes) != 0 {
			t.Fatalf("write %d: tree differs: %s", i, FormatChanges(changes))
		}
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, stagingPrefix+"*")); len(entries) != 0 {
		t.Errorf("staging left behind: %v", entries)
	}
}

func TestWriteRemovesStaleGeneratedFilesAndKeepsHandWrittenOnes(t *testing.T) {
	dir := t.TempDir()
	if err := sample(t, "a", "b").Write(dir, roots); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(dir, "overlays/aws/lab1/tuning/NOTES.md")
	writeTestFile(t, notes, "hand-written\n")
	if err := sample(t, "a").Write(dir, roots); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "overlays/aws/lab1/tuning/configmap-b.yaml")); !os.IsNotExist(err) {
		t.Errorf("stale generated file kept: %v", err)
	}
	if data, err := os.ReadFile(notes); err != nil || string(data) != "hand-written\n" {
		t.Errorf("hand-written file lost: %q %v", data, err)
	}
}

func TestWriteRefusesToOverwriteAHandWrittenFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "overlays/aws/lab1/tuning/configmap-a.yaml")
	writeTestFile(t, p, "mine\n")
	err := sample(t, "a").Write(dir, roots)
	if !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), "hand-written") {
		t.Fatalf("want ErrUnsafe naming the file, got %v", err)
	}
	if data, _ := os.ReadFile(p); string(data) != "mine\n" {
		t.Errorf("hand-written file changed: %q", data)
	}
}

func TestWriteRefusesASymlinkedRoot(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	if err := os.Symlink(elsewhere, filepath.Join(dir, "overlays")); err != nil {
		t.Fatal(err)
	}
	if err := sample(t, "a").Write(dir, roots); !errors.Is(err, ErrUnsafe) {
		t.Fatalf("want ErrUnsafe, got %v", err)
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Errorf("wrote through the symlink: %v", entries)
	}
}

func TestWriteRefusesASymlinkInsideARoot(t *testing.T) {
	dir := t.TempDir()
	if err := sample(t, "a").Write(dir, roots); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "overlays/link.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := sample(t, "a").Write(dir, roots); !errors.Is(err, ErrUnsafe) {
		t.Fatalf("want ErrUnsafe, got %v", err)
	}
}

func TestWriteCleansUpAStagingDirectoryLeftByAnInterruptedWrite(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, stagingPrefix+"123", "new/base/x.yaml"), Header)
	if err := sample(t, "a").Write(dir, roots); err != nil {
		t.Fatal(err)
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, stagingPrefix+"*")); len(entries) != 0 {
		t.Errorf("staging left behind: %v", entries)
	}
}

func TestCompareReportsAddedRemovedAndChangedFiles(t *testing.T) {
	old, cur := sample(t, "a", "b"), sample(t, "a", "c")
	cur.files["overlays/aws/lab1/tuning/configmap-a.yaml"] = []byte(Header + "changed\n")
	var got []string
	for _, c := range Compare(old, cur) {
		got = append(got, c.Kind+" "+c.Path)
	}
	want := []string{
		"changed overlays/aws/lab1/tuning/configmap-a.yaml",
		"removed overlays/aws/lab1/tuning/configmap-b.yaml",
		"added overlays/aws/lab1/tuning/configmap-c.yaml",
		"changed overlays/aws/lab1/tuning/kustomization.yaml",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func writeTestFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

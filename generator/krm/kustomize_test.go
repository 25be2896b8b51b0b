package krm

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/render"
)

// binaries are lowlat and the pinned kustomize CLI, built once for the
// tests that exec them; empty under -short or when the build failed.
var binaries struct {
	lowlat, kustomize string
	err               error
}

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "lowlat-krm-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if !testing.Short() {
		binaries.lowlat, binaries.kustomize, binaries.err = buildBinaries(dir)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildBinaries builds ./generator/cmd/lowlat-fn and the kustomize CLI that
// go.mod pins as a tool.
func buildBinaries(dir string) (lowlat, kustomize string, err error) {
	lowlat, kustomize = filepath.Join(dir, "lowlat"), filepath.Join(dir, "kustomize")
	for pkg, out := range map[string]string{"github.com/lowlat/lowlat/generator/cmd/lowlat-fn": lowlat, "sigs.k8s.io/kustomize/kustomize/v5": kustomize} {
		cmd := exec.Command("go", "build", "-o", out, pkg)
		if msg, err := cmd.CombinedOutput(); err != nil {
			return "", "", fmt.Errorf("go build %s: %v\n%s", pkg, err, msg)
		}
	}
	return lowlat, kustomize, nil
}

func needBinaries(tb testing.TB) {
	tb.Helper()
	switch {
	case testing.Short():
		tb.Skip("builds lowlat and kustomize and execs them; skipped under -short")
	case binaries.err != nil:
		tb.Fatal(binaries.err)
	}
}

// cases are the inventories whose trees the entry points are built from.
var cases = []string{
	"../../fixtures/inventories/workshop.yaml",
	"../render/testdata/golden/explicit-reserved/inventory.yaml",
	"../render/testdata/golden/gitops-fleet/inventory.yaml",
}

// TestEntryPointBuildsLikeTheOverlayInProcess builds krm/<cluster> with
// kustomize's own library (the function runs as the exec plugin it is) and
// compares it with the overlay.
func TestEntryPointBuildsLikeTheOverlayInProcess(t *testing.T) {
	needBinaries(t)
	for _, file := range cases {
		dir, clusters := writeTree(t, file)
		for _, c := range clusters {
			t.Run(filepath.Base(filepath.Dir(file))+"/"+c, func(t *testing.T) {
				want := krustyBuild(t, filepath.Join(dir, layout.ClusterDir(c)))
				got := krustyBuild(t, filepath.Join(dir, layout.KRMDir(c)))
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("(-overlay +function):\n%s", diff)
				}
			})
		}
	}
}

// TestKustomizeCLIBuildsTheCommittedEntryPoints runs the real kustomize, as
// a user does after make build, on the committed tree: each krm/<cluster>
// must give what overlays/aws/<cluster> gives.
func TestKustomizeCLIBuildsTheCommittedEntryPoints(t *testing.T) {
	needBinaries(t)
	root := filepath.Join("..", "..")
	entries, _ := filepath.Glob(filepath.Join(root, "krm", "*", "kustomization.yaml"))
	if len(entries) == 0 {
		t.Skip("no committed krm/ entry points yet; make generate writes them")
	}
	dir := t.TempDir()
	for _, r := range layout.Roots {
		copyDir(t, filepath.Join(root, r), filepath.Join(dir, r))
	}
	installLowlat(t, dir)
	for _, e := range entries {
		c := filepath.Base(filepath.Dir(e))
		t.Run(c, func(t *testing.T) {
			want := cliBuild(t, filepath.Join(dir, layout.ClusterDir(c)))
			got := cliBuild(t, filepath.Join(dir, layout.KRMDir(c)), "--enable-alpha-plugins", "--enable-exec")
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-overlay +function):\n%s", diff)
			}
		})
	}
}

func TestKustomizeCLIReportsAFunctionError(t *testing.T) {
	needBinaries(t)
	dir, clusters := writeTree(t, cases[0])
	cfg := filepath.Join(dir, layout.KRMDir(clusters[0]), render.FunctionConfigFile)
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	before, _, _ := bytes.Cut(data, []byte("region: us-east-2"))
	line := bytes.Count(before, []byte("\n")) + 1
	if err := os.WriteFile(cfg, bytes.Replace(data, []byte("region: us-east-2"), []byte("region: moon"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(binaries.kustomize, "build", "--enable-alpha-plugins", "--enable-exec", filepath.Dir(cfg)).CombinedOutput()
	if err == nil {
		t.Fatalf("kustomize build succeeded on a bad inventory:\n%s", out)
	}
	// The file kustomize read and its line, as the CLI reports them, and
	// kustomize's own message on a line of its own.
	want := fmt.Sprintf("%s:%d: spec.clusters[0].region: Invalid value: \"moon\"", cfg, line)
	if !strings.Contains(string(out), want) || !strings.Contains(string(out), "\nError: ") {
		t.Errorf("kustomize build output lacks %q, or runs into kustomize's message:\n%s", want, out)
	}
}

// writeTree renders an inventory into a directory with bin/lowlat where
// the entry points expect it, and returns the clusters.
func writeTree(tb testing.TB, file string) (string, []string) {
	tb.Helper()
	inv, err := inventory.Load(file)
	if err != nil {
		tb.Fatal(err)
	}
	tr, err := render.Render(inv)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	// The entry points find the binary relative to the tree's path in the
	// repository; render into that path of a scratch repository.
	treeDir := filepath.Join(dir, filepath.FromSlash(inv.Spec.GitOps.Path))
	if err := os.MkdirAll(treeDir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := tr.Write(treeDir, layout.Roots); err != nil {
		tb.Fatal(err)
	}
	installLowlat(tb, dir)
	var clusters []string
	for _, c := range inv.Spec.Clusters {
		clusters = append(clusters, c.Name)
	}
	return treeDir, clusters
}

func installLowlat(tb testing.TB, repo string) {
	tb.Helper()
	bin := filepath.Join(repo, filepath.FromSlash(render.BinaryPath))
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.Symlink(binaries.lowlat, bin); err != nil {
		tb.Fatal(err)
	}
}

func krustyBuild(tb testing.TB, dir string) []string {
	tb.Helper()
	opts := krusty.MakeDefaultOptions()
	opts.PluginConfig = types.EnabledPluginConfig(types.BploUseStaticallyLinked)
	opts.PluginConfig.FnpLoadingOptions.EnableExec = true
	m, err := krusty.MakeKustomizer(opts).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		tb.Fatalf("kustomize build %s: %v", dir, err)
	}
	out, err := m.AsYaml()
	if err != nil {
		tb.Fatal(err)
	}
	return canonical(tb, out)
}

func cliBuild(tb testing.TB, dir string, flags ...string) []string {
	tb.Helper()
	cmd := exec.Command(binaries.kustomize, append(append([]string{"build"}, flags...), dir)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("kustomize build %s: %v\n%s", dir, err, stderr.String())
	}
	return canonical(tb, out)
}

// bookkeeping are annotation prefixes kustomize and the KRM runtime add or
// drop on their way; they are not part of a resource.
var bookkeeping = []string{"config.kubernetes.io/", "internal.config.kubernetes.io/", "kustomize.config.k8s.io/"}

// canonical turns a multi-document build output into sorted JSON objects
// without bookkeeping annotations, so two builds compare as sets.
func canonical(tb testing.TB, out []byte) []string {
	tb.Helper()
	nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(out), OmitReaderAnnotations: true}).Read()
	if err != nil {
		tb.Fatal(err)
	}
	var objs []string
	for _, n := range nodes {
		for key := range n.GetAnnotations() {
			for _, p := range bookkeeping {
				if strings.HasPrefix(key, p) {
					if err := n.PipeE(yaml.ClearAnnotation(key)); err != nil {
						tb.Fatal(err)
					}
				}
			}
		}
		j, err := n.MarshalJSON()
		if err != nil {
			tb.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(j, &v); err != nil {
			tb.Fatal(err)
		}
		normal, _ := json.Marshal(v)
		objs = append(objs, string(normal))
	}
	sort.Strings(objs)
	if len(objs) == 0 {
		tb.Fatal("the build emitted nothing")
	}
	return objs
}

func copyDir(tb testing.TB, from, to string) {
	tb.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(dst)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, in)
		return errors.Join(err, out.Close())
	})
	if err != nil && !os.IsNotExist(err) {
		tb.Fatal(err)
	}
}

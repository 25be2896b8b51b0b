package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRenderIntoNewAndEarlierDirectories: as with kustomize, helm template
// and kpt, -o may name a directory that does not exist yet (lowlat creates
// it), an empty one, or an earlier lowlat tree, inside the repository or
// not; an earlier tree outside it keeps its hand-written files.
func TestRenderIntoNewAndEarlierDirectories(t *testing.T) {
	t.Run("a directory that does not exist", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "gitops", "lab")
		code, _, stderr := runLowlat("", "render", "-f", workshop, "-o", out)
		if code != 0 || !strings.Contains(stderr, "rendered 1 cluster(s)") {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if _, err := os.Stat(filepath.Join(out, "apps", "roots", "kustomization.yaml")); err != nil {
			t.Error(err)
		}
		// Its krm/ entry points exec bin/lowlat-fn of that tree: render
		// says how to put it there.
		if want := "go build -o " + filepath.Join(out, "bin", "lowlat-fn") + " github.com/lowlat/lowlat/generator/cmd/lowlat-fn"; !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	})
	t.Run("an empty directory outside the repository", func(t *testing.T) {
		if code, _, stderr := runLowlat("", "render", "-f", workshop, "-o", t.TempDir()); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	})
	t.Run("an earlier lowlat tree outside the repository, with a hand-written file", func(t *testing.T) {
		out := renderedTree(t)
		code, _, stderr := runLowlat("", "render", "-f", workshop, "-o", out)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stderr, ": 0 files written") {
			t.Errorf("an unchanged re-render wrote files: %s", stderr)
		}
		if data, err := os.ReadFile(filepath.Join(out, "overlays", "README.md")); err != nil || string(data) != "hand-written\n" {
			t.Errorf("the hand-written file: %q, %v", data, err)
		}
	})
}

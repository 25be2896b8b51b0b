package review

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/tree"
)

// commitFiles makes a repository with one commit of files, and a symbolic
// link that the revision leaves out, and returns the repository and commit.
func commitFiles(t *testing.T, files map[string]string) (repo, commit string) {
	t.Helper()
	repo = t.TempDir()
	for p, content := range files {
		full := filepath.Join(repo, filepath.FromSlash(p))
		must(t, os.MkdirAll(filepath.Dir(full), 0o755))
		must(t, os.WriteFile(full, []byte(content), 0o644))
	}
	must(t, os.Symlink("/etc/passwd", filepath.Join(repo, "link")))
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-q", "-m", "files"}} {
		cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	commit, err := runGit(context.Background(), repo, "rev-parse", "HEAD")
	must(t, err)
	return repo, commit
}

func TestARevisionIsAFileSystemWithoutCheckingItOut(t *testing.T) {
	repo, commit := commitFiles(t, map[string]string{
		"inv/workshop.yaml":        "kind: Inventory\n",
		"inv/topologies/c5.lscpu":  "0,0,0,0\n",
		"base/ns/namespace-a.yaml": tree.Header + "kind: Namespace\n",
		"base/ns/README.md":        "hand-written\n",
		"krm/lab1/topology.lscpu":  tree.Header + "0,0,0,0\n",
	})
	rev, err := openRevisionFS(context.Background(), repo, commit)
	must(t, err)
	if err := fstest.TestFS(rev, "inv/workshop.yaml", "inv/topologies/c5.lscpu", "base/ns/README.md"); err != nil {
		t.Fatal(err)
	}
	if _, err := rev.Stat("link"); err == nil {
		t.Error("a symbolic link is part of the revision")
	}
	got, err := rev.tree([]string{"base", "krm"})
	must(t, err)
	if diff := cmp.Diff([]string{"base/ns/namespace-a.yaml", "krm/lab1/topology.lscpu"}, got.Paths()); diff != "" {
		t.Errorf("generated files (-want +got):\n%s", diff)
	}
	if data, _ := got.File("krm/lab1/topology.lscpu"); string(data) != tree.Header+"0,0,0,0\n" {
		t.Errorf("content %q", data)
	}
}

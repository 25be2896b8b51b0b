package tree

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteStaysInsideItsBoundary(t *testing.T) {
	repo, elsewhere := t.TempDir(), t.TempDir()
	if err := os.Symlink(elsewhere, filepath.Join(repo, "escape")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(elsewhere, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		out  string
		ok   bool
	}{
		{"the repository itself is allowed", repo, true},
		{"a directory outside the repository is refused", elsewhere, false},
		{"a directory reached through a symlink out of the repository is refused", filepath.Join(repo, "escape", "sub"), false},
		{"a symlinked output directory is refused even inside the repository", filepath.Join(repo, "escape"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := sample(t, "a").WriteWith(c.out, roots, WriteOptions{Boundary: repo})
			if c.ok != (err == nil) || (err != nil && !errors.Is(err, ErrUnsafe)) {
				t.Fatalf("WriteWith(%s): %v", c.out, err)
			}
		})
	}
	if entries, _ := os.ReadDir(filepath.Join(elsewhere, "sub")); len(entries) != 0 {
		t.Errorf("wrote outside the repository: %v", entries)
	}
}

func TestRepositoryIsTheNearestDirectoryWithGit(t *testing.T) {
	top := t.TempDir()
	deep := filepath.Join(top, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := Repository(deep); ok || err != nil {
		t.Fatalf("found a repository where there is none: %v", err)
	}
	writeTestFile(t, filepath.Join(top, "a", ".git"), "gitdir: elsewhere\n") // a worktree's .git is a file
	root, ok, err := Repository(deep)
	want, _ := filepath.EvalSymlinks(filepath.Join(top, "a"))
	if !ok || err != nil || root != want {
		t.Fatalf("Repository = %q, %v, %v; want %q", root, ok, err, want)
	}
}

func TestAddRefusesNamesThatAreNotOneFile(t *testing.T) {
	cases := []struct{ name, dir, objName string }{
		{"a name with a slash", "base", "../../etc/passwd"},
		{"a name with a backslash", "base", `a\b`},
		{"a directory that climbs out", "../outside", "a"},
		{"an absolute directory", "/etc", "a"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := New().Add(c.dir, obj("ConfigMap", c.objName, nil)); !errors.Is(err, ErrUnsafe) {
				t.Fatalf("want ErrUnsafe, got %v", err)
			}
		})
	}
}

func TestWriteRefusesRootsThatAreNotOneDirectory(t *testing.T) {
	for _, root := range []string{"..", "a/b", ""} {
		if err := sample(t, "a").Write(t.TempDir(), []string{root}); !errors.Is(err, ErrUnsafe) {
			t.Errorf("root %q: want ErrUnsafe, got %v", root, err)
		}
	}
}

func TestASecondWriterIsRefusedWhileTheFirstHoldsTheLock(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	err = sample(t, "a").Write(dir, roots)
	if !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), "another lowlat render") {
		t.Fatalf("want the lock refusal, got %v", err)
	}
}

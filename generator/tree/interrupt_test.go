package tree

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The interrupted-write tests run a write in a child process (this test
// binary, re-executed) that stops at a chosen step; the parent then kills it
// with SIGKILL, so no deferred cleanup runs, exactly as when a render is
// killed.
const (
	envDir  = "LOWLAT_TREE_INTERRUPT_DIR"
	envStop = "LOWLAT_TREE_INTERRUPT_AT"
)

// version renders a tree with files in every root; v1 and v2 differ in every
// root, and v2 drops one file.
func version(t *testing.T, v string) *Tree {
	t.Helper()
	tr := New()
	for _, dir := range []string{"base/operators", "overlays/aws/lab1/tuning", "apps/lab1"} {
		for _, name := range []string{"a", "b", "c"} {
			if v == "v2" && name == "c" {
				continue
			}
			if _, err := tr.Add(dir, obj("ConfigMap", name, map[string]string{"version": v})); err != nil {
				t.Fatal(err)
			}
		}
	}
	return tr
}

// TestInterruptHelper is the child: it writes v2 and blocks at the step named
// in its environment. It does nothing in a normal test run.
func TestInterruptHelper(t *testing.T) {
	dir, stop := os.Getenv(envDir), os.Getenv(envStop)
	if dir == "" {
		t.Skip("runs only as the child of TestAnInterruptedWriteLeavesThePreviousTree")
	}
	step = func(s string) {
		if s == stop {
			fmt.Println("stopped at " + s)
			select {} // wait to be killed
		}
	}
	if err := version(t, "v2").Write(dir, roots); err != nil {
		t.Fatal(err)
	}
	fmt.Println("finished")
}

func TestAnInterruptedWriteLeavesThePreviousTree(t *testing.T) {
	cases := []struct {
		name string
		stop string
		// swapped: the kill came after some roots were swapped, so the tree
		// is restored by Recover (or the next Write) rather than untouched.
		swapped bool
	}{
		{"killed while writing the staged files", "wrote overlays/aws/lab1/tuning/configmap-a.yaml", false},
		{"killed after staging, before any swap", "staged", false},
		{"killed after the first root was swapped", "swapped base", true},
		{"killed after all but the last root were swapped", "swapped overlays", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := version(t, "v1").Write(dir, roots); err != nil {
				t.Fatal(err)
			}
			writeTestFile(t, filepath.Join(dir, "overlays/aws/lab1/NOTES.md"), "hand-written\n")
			before := hashTree(t, dir, true)
			killAt(t, dir, c.stop)
			_, err := Read(dir, roots)
			if c.swapped != errors.Is(err, ErrInterrupted) {
				t.Fatalf("Read after the kill: %v (want ErrInterrupted: %v)", err, c.swapped)
			}
			// Until the next write cleans it up, the staging directory is
			// there, beside the untouched roots.
			if !c.swapped && hashTree(t, dir, false) != before {
				t.Fatal("the previous tree changed before any swap")
			}
			if err := Recover(dir); err != nil {
				t.Fatal(err)
			}
			if got := hashTree(t, dir, true); got != before {
				t.Fatalf("after Recover the tree differs from the previous one:\n%s\nwant\n%s", got, before)
			}
			assertWritesCleanly(t, dir)
		})
	}
}

// killAt runs the child until it reports the step, then kills it.
func killAt(t *testing.T, dir, stop string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestInterruptHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), envDir+"="+dir, envStop+"="+stop)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if strings.TrimSpace(line) != "stopped at "+stop {
		t.Fatalf("child did not stop at %q: %q", stop, line)
	}
}

// assertWritesCleanly checks that the next write after a kill succeeds and
// leaves exactly the new tree and no staging directory.
func assertWritesCleanly(t *testing.T, dir string) {
	t.Helper()
	v2 := version(t, "v2")
	if err := v2.Write(dir, roots); err != nil {
		t.Fatal(err)
	}
	got, err := Read(dir, roots)
	if err != nil {
		t.Fatal(err)
	}
	if changes := Compare(v2, got); len(changes) != 0 {
		t.Fatalf("next write: %s", FormatChanges(changes))
	}
	if left, _ := filepath.Glob(filepath.Join(dir, stagingPrefix+"*")); len(left) != 0 {
		t.Fatalf("staging left behind: %v", left)
	}
}

// hashTree lists every file and directory under dir with the SHA-256 of its
// contents, one line each, sorted; withStaging=false skips staging directories.
func hashTree(t *testing.T, dir string, withStaging bool) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if !withStaging && strings.HasPrefix(rel, stagingPrefix) {
			return fs.SkipDir
		}
		if d.IsDir() {
			lines = append(lines, rel+"/")
			return nil
		}
		data, err := os.ReadFile(p)
		lines = append(lines, fmt.Sprintf("%s %x", rel, sha256.Sum256(data)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestAFailedSwapPutsBackTheRootsAlreadySwapped(t *testing.T) {
	dir := t.TempDir()
	if err := version(t, "v1").Write(dir, roots); err != nil {
		t.Fatal(err)
	}
	before := hashTree(t, dir, true)
	defer func() { step = func(string) {} }()
	step = func(s string) {
		if s == "swapped base" {
			// Lose the staged overlays, so that the next swap fails.
			staged, _ := filepath.Glob(filepath.Join(dir, stagingPrefix+"*", "new", "overlays"))
			_ = os.RemoveAll(staged[0])
		}
	}
	if err := version(t, "v2").Write(dir, roots); err == nil {
		t.Fatal("the write succeeded without its staged overlays")
	}
	if got := hashTree(t, dir, true); got != before {
		t.Fatalf("after the failed write the tree differs:\n%s\nwant\n%s", got, before)
	}
}

package tree

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
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

func TestAKilledWriteLeavesWholeFilesAndTheNextWriteRepairsTheMix(t *testing.T) {
	cases := []struct{ name, stop string }{
		{"killed before the first file is renamed into place", "wrote apps/lab1/configmap-a.yaml"},
		{"killed between two roots", "wrote base/operators/configmap-a.yaml"},
		{"killed before the last file", "wrote overlays/aws/lab1/tuning/configmap-b.yaml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			v1, v2 := version(t, "v1"), version(t, "v2")
			if err := v1.Write(dir, roots); err != nil {
				t.Fatal(err)
			}
			writeTestFile(t, filepath.Join(dir, "overlays/aws/lab1/NOTES.md"), "hand-written\n")
			killAt(t, dir, c.stop)
			// Every generated file on disk is one version or the other,
			// never a part of one.
			got, err := Read(dir, roots)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range got.Paths() {
				data, _ := got.File(p)
				old, inV1 := v1.File(p)
				cur, inV2 := v2.File(p)
				if !(inV1 && string(data) == string(old)) && !(inV2 && string(data) == string(cur)) {
					t.Errorf("%s is neither the previous nor the new version:\n%s", p, data)
				}
			}
			if temps := tempFiles(t, dir); len(temps) != 1 {
				t.Errorf("want the one temporary file of the killed write, got %v", temps)
			}
			assertWritesCleanly(t, dir)
			if data, err := os.ReadFile(filepath.Join(dir, "overlays/aws/lab1/NOTES.md")); err != nil || string(data) != "hand-written\n" {
				t.Errorf("the hand-written file changed: %q, %v", data, err)
			}
		})
	}
}

// tempFiles lists the temporary files under dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), tempPrefix) {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
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
	if left := tempFiles(t, dir); len(left) != 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

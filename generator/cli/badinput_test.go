package cli

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	badFixtures = "../../fixtures/bad"
	workshop    = "../../fixtures/inventories/workshop.yaml"
)

// badInput is one broken input: an inventory under fixtures/bad (with an
// lscpu capture of the same name when lscpu is set) or one the test makes.
type badInput struct {
	name string
	file string
	make func(t *testing.T, dir string) string
	want string
	// lscpu: the case's .lscpu file is also fed to `lowlat cpus`.
	lscpu bool
	skip  string
}

var badInputs = []badInput{
	{name: "a truncated file names the line where YAML stops", file: "truncated.yaml", want: "truncated.yaml:19: yaml: line 19: did not find expected ',' or '}'"},
	{name: "values of the wrong type are all listed", file: "wrong-types.yaml", want: `replicas: Invalid value: "2 (str)": must be an integer`},
	{name: "a misspelt field is unknown, with a suggestion", file: "unknown-fields.yaml", want: `spec.clusters[0].nodepools: Forbidden: unknown field; did you mean "nodePools"?`},
	{name: "two clusters with one name are a duplicate", file: "duplicate-names.yaml", want: `spec.clusters[1].name: Duplicate value: "lab1`},
	{name: "a key set twice is refused", file: "duplicate-keys.yaml", want: "replicas: Forbidden: duplicate key; first set on line 15"},
	{name: "an alias to its own list is the wrong shape", file: "alias-cycle.yaml", want: `spec.clusters[0]: Invalid value: "a list": must be an object`},
	{name: "an alias bomb stops at a bound", file: "alias-bomb.yaml", want: "aliases expand the document to more than 262144 values"},
	{name: "a billion reserved CPUs do not fit", file: "absurd-reserved.yaml", want: "1000000000 reserved CPUs leave none of the host's 96 isolated"},
	{name: "2 reserved CPUs split across two SMT NUMA nodes are refused", file: "split-too-few.yaml",
		want: "split-too-few.yaml:20: spec.clusters[0].nodePools[0].tuning.reservedCPUs: Invalid value: \"2\": too few reserved CPUs to split across NUMA nodes: 2 reserved CPUs split across 2 NUMA nodes leave NUMA node 1 without any; each node needs at least one whole core (2 threads with hyper-threading on), so reserve at least 4 (2 per node), or do not split them"},
	{name: "an unknown warning code is refused with the codes there are", file: "unknown-warning-code.yaml",
		want: `unknown-warning-code.yaml:13: spec.clusters[0].acknowledgedWarnings[0]: Unsupported value: "existing-node": supported values: "canary-label", "existing-nodes"`},
	{name: "negative counts are refused", file: "negative-counts.yaml", want: "hugepages[0].count: Invalid value: -5: must be at least 1"},
	{name: "a hugepage count that overflows int64 does not fit", file: "hugepage-overflow.yaml", want: "c5.metal has 98304 MiB per NUMA node"},
	{name: "a number beyond int64 is not an integer", file: "huge-number.yaml", want: `replicas: Invalid value: "99999999999999999999999 (float)": must be an integer`},
	{name: "names with path separators are not DNS labels", file: "path-separators.yaml", want: `spec.clusters[0].name: Invalid value: "../../etc": a lowercase RFC 1123 label`},
	{name: "an empty file is not an inventory", file: "empty.yaml", want: "file is empty; expected an Inventory document"},
	{name: "a second document is refused", file: "two-documents.yaml", want: "more than one YAML document"},
	{name: "a byte that is not UTF-8 names its line", file: "non-utf8.yaml", want: "non-utf8.yaml:10: file is not valid UTF-8"},
	{name: "a 50 MB file is refused before parsing", make: fiftyMB("inventory.yaml", "# padding\n"), want: "file is larger than 4194304 bytes"},
	{name: "a truncated lscpu capture names its last line", file: "lscpu-truncated.yaml", lscpu: true, want: "lscpu output line 100: 2 columns, want at least 4"},
	{name: "a file that is not lscpu output says how to capture one", file: "lscpu-garbage.yaml", lscpu: true, want: "capture it with lscpu -p=CPU,CORE,SOCKET,NODE"},
	{name: "a capture of another host has the wrong CPU count", file: "lscpu-other-host.yaml", want: "has 80 CPUs but c5.metal has 96"},
	{name: "a CPU listed twice is refused", file: "lscpu-repeated-cpu.yaml", lscpu: true, want: "lscpu output line 101: CPU 5 is already listed on line 10"},
	{name: "a CPU id beyond Linux's limit is refused", file: "lscpu-huge-id.yaml", lscpu: true, want: "CPU 99999999999999999999 is too large"},
	{name: "a capture that is not UTF-8 is refused", file: "lscpu-non-utf8.yaml", lscpu: true, want: `Node "\xe9" is not a number`},
	{name: "a 50 MB lscpu capture fails at its first repeated row", make: fiftyMBLscpu, want: "CPU 0 is already listed on line 1"},
	{name: "an lscpu path to a named pipe does not hang", make: fifoLscpu, want: "pipe.lscpu: not a regular file"},
}

// TestBadInputFailsAndLeavesTheTreeUnchanged renders each bad input over a
// rendered tree (with a hand-written file in it): the render must exit
// non-zero with the expected message and leave every byte of the output
// directory as it was; check must fail the same way.
func TestBadInputFailsAndLeavesTheTreeUnchanged(t *testing.T) {
	for _, c := range badInputs {
		t.Run(c.name, func(t *testing.T) {
			if c.skip != "" {
				t.Skip(c.skip)
			}
			file := filepath.Join(badFixtures, c.file)
			if c.make != nil {
				file = c.make(t, t.TempDir())
			}
			out := renderedTree(t)
			before := hashDir(t, out)
			for _, args := range [][]string{
				{"render", "-f", file, "-o", out, "--allow-outside-repo"},
				{"check", "-f", file, "-d", out},
			} {
				expectFailure(t, c.want, args...)
			}
			if after := hashDir(t, out); after != before {
				t.Errorf("the output directory changed:\n%s\nwant\n%s", after, before)
			}
			if c.lscpu {
				expectFailure(t, c.want, "cpus", "--lscpu", strings.TrimSuffix(file, ".yaml")+".lscpu", "--reserved", "4")
			}
		})
	}
}

func TestUnsafeOutputDirectoriesAreRefusedAndLeftUnchanged(t *testing.T) {
	t.Run("a symlinked output directory", func(t *testing.T) {
		target := renderedTree(t)
		link := filepath.Join(t.TempDir(), "link")
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		before := hashDir(t, target)
		expectFailure(t, "is a symlink; lowlat writes only into real directories", "render", "-f", workshop, "-o", link, "--allow-outside-repo")
		if hashDir(t, target) != before {
			t.Error("the symlink's target changed")
		}
	})
	t.Run("a directory outside the repository that holds other files, without --allow-outside-repo", func(t *testing.T) {
		out := t.TempDir()
		if err := os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		before := hashDir(t, out)
		expectFailure(t, "already holds notes.txt, which lowlat did not write", "render", "-f", workshop, "-o", out)
		if hashDir(t, out) != before {
			t.Error("the output directory changed")
		}
	})
	t.Run("a refused inventory leaves no new output directory behind", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "new", "gitops")
		expectFailure(t, "spec.clusters", "render", "-f", "../../fixtures/bad/duplicate-names.yaml", "-o", out)
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s exists after a refused render: %v", out, err)
		}
	})
}

// expectFailure runs lowlat and requires a non-zero exit whose stderr holds want.
func expectFailure(t *testing.T, want string, args ...string) {
	t.Helper()
	start := time.Now()
	code, _, stderr := runLowlat("", args...)
	if code == 0 || !strings.Contains(stderr, want) {
		t.Errorf("lowlat %s: exit %d, want non-zero with %q in stderr:\n%.2000s", args[0], code, want, stderr)
	}
	// Not a timing assertion: a note for whoever reads a slow run.
	if d := time.Since(start); d > 5*time.Second {
		t.Logf("lowlat %s took %v", args[0], d)
	}
}

// renderedTree renders the workshop into a new directory and adds a
// hand-written file, as a repository would have.
func renderedTree(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	if code, _, stderr := runLowlat("", "render", "-f", workshop, "-o", out, "--allow-outside-repo"); code != 0 {
		t.Fatalf("render the workshop: %s", stderr)
	}
	if err := os.WriteFile(filepath.Join(out, "overlays", "README.md"), []byte("hand-written\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// hashDir lists every entry under dir with its mode and, for files, the
// SHA-256 of its contents, sorted: equal strings mean byte-identical trees.
func hashDir(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		line := fmt.Sprintf("%s %v", rel, d.Type())
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" %x", sha256.Sum256(data))
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// fiftyMB makes a file of that name: a valid inventory header padded with
// line to 50 MB.
func fiftyMB(name, line string) func(*testing.T, string) string {
	return func(t *testing.T, dir string) string {
		head, err := os.ReadFile(workshop)
		if err != nil {
			t.Fatal(err)
		}
		return writeFile(t, filepath.Join(dir, name), append(head, bytes.Repeat([]byte(line), 50<<20/len(line))...))
	}
}

// fiftyMBLscpu is an inventory whose lscpu capture is 50 MB of one row.
func fiftyMBLscpu(t *testing.T, dir string) string {
	writeFile(t, filepath.Join(dir, "big.lscpu"), bytes.Repeat([]byte("0,0,0,0\n"), 50<<20/8))
	return writeFile(t, filepath.Join(dir, "big.yaml"), []byte(lscpuInventory("big.lscpu")))
}

func fifoLscpu(t *testing.T, dir string) string {
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.lscpu"), 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	return writeFile(t, filepath.Join(dir, "pipe.yaml"), []byte(lscpuInventory("pipe.lscpu")))
}

func lscpuInventory(lscpu string) string {
	return `apiVersion: lowlat.dev/v1alpha1
kind: Inventory
metadata: {name: bad}
spec:
  openshift: {version: "4.20"}
  clusters:
  - name: lab1
    region: us-east-2
    nodePools:
    - {name: cnf-c5, instanceType: c5.metal, replicas: 1, topology: {lscpu: ` + lscpu + `}, tuning: {reservedCPUs: 4}}
`
}

func writeFile(t *testing.T, p string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

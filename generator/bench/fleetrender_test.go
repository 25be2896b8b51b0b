package bench

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lowlat/lowlat/generator/cli"
)

// The fleet benchmarks run `lowlat render` as a child process (this test
// binary, re-executed) on fleets kept as ZTP keeps sites: a directory of
// inventory files, one cluster each. A child's peak RSS is its own, so
// memory is compared between fleet sizes as the operating system sees it.
const (
	envChild = "LOWLAT_BENCH_RENDER_ARGS"
	// envPeak names the file a child writes its peak RSS to. The child
	// reads it itself (VmHWM in /proc/self/status) because the rusage its
	// parent gets back is not its own on Linux: os/exec starts children
	// with clone(CLONE_VM|CLONE_VFORK), and execve folds the high-water
	// mark of the memory it leaves, the parent's, into the child's
	// ru_maxrss (fs/exec.c, exec_mmap → setmax_mm_hiwater_rss). A parent
	// that has walked a 10,000-cluster tree would set every child's floor.
	envPeak = "LOWLAT_BENCH_PEAK_FILE"
)

// TestMain runs lowlat instead of the tests when re-executed as a child.
func TestMain(m *testing.M) {
	if args := os.Getenv(envChild); args != "" {
		code := cli.Main(strings.Split(args, "\n"), os.Stdin, os.Stdout, os.Stderr)
		if peak, err := highWaterMark(); err == nil {
			if err := os.WriteFile(os.Getenv(envPeak), []byte(strconv.FormatInt(peak, 10)), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, err)
				code = 1
			}
		}
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// highWaterMark is this process's peak resident set in bytes, from
// /proc/self/status; an error where there is no such file.
func highWaterMark() (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("/proc/self/status: no VmHWM")
}

// writeFleetFiles writes an n-cluster fleet as one inventory file per
// cluster into dir; the fleet-wide settings are in the first file only.
func writeFleetFiles(dir string, n int) error {
	data, err := os.ReadFile(workshop)
	if err != nil {
		return err
	}
	text := string(data)
	i := strings.Index(text, "  clusters:\n")
	if i < 0 {
		return fmt.Errorf("%s: no clusters list", workshop)
	}
	head, cluster := text[:i+len("  clusters:\n")], text[i+len("  clusters:\n"):]
	capture, err := filepath.Abs(filepath.Dir(workshop))
	if err != nil {
		return err
	}
	// Relative capture paths are resolved against each file's directory.
	cluster = strings.ReplaceAll(cluster, "lscpu: ", "lscpu: "+capture+"/")
	bare := "apiVersion: lowlat.dev/v1alpha1\nkind: Inventory\nmetadata:\n  name: workshop\nspec:\n  clusters:\n"
	for c := range n {
		named := fmt.Sprintf("- name: c%d\n    destination: {name: c%d}", c, c)
		body := strings.Replace(cluster, "- name: lab1", named, 1)
		doc := bare + body
		if c == 0 {
			doc = head + body
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%05d.yaml", c)), []byte(doc), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// child runs `lowlat args...` with GOMAXPROCS procs and returns its wall
// time and peak RSS.
func child(b *testing.B, procs int, args ...string) (time.Duration, int64) {
	b.Helper()
	peakFile := filepath.Join(b.TempDir(), "peak")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"="+strings.Join(args, "\n"), "GOMAXPROCS="+strconv.Itoa(procs),
		"LOWLAT_CACHE_DIR="+os.Getenv("LOWLAT_BENCH_CACHE"), envPeak+"="+peakFile)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("lowlat %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	wall := time.Since(start)
	data, err := os.ReadFile(peakFile)
	if err != nil {
		// No /proc: the rusage figure, which may include the parent's.
		return wall, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024
	}
	peak, err := strconv.ParseInt(string(data), 10, 64)
	if err != nil {
		b.Fatalf("%s: %v", peakFile, err)
	}
	return wall, peak
}

// mtimes maps every file under dir to its modification time.
func mtimes(b *testing.B, dir string) map[string]time.Time {
	out := map[string]time.Time{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		out[p] = info.ModTime()
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

func changedFiles(before, after map[string]time.Time) int {
	n := 0
	for p, t := range after {
		if b, ok := before[p]; !ok || !b.Equal(t) {
			n++
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			n++
		}
	}
	return n
}

// BenchmarkFleetRender renders fleets of 1,000 and 10,000 clusters from
// scratch, then again unchanged, then with one cluster changed, and at
// 1,000 clusters also on one core. Each figure is one run (-benchtime 1x);
// benchreport turns them into the ratios they are judged by.
func BenchmarkFleetRender(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("clusters=%d", n), func(b *testing.B) {
			for b.Loop() {
				fleetRender(b, n)
			}
		})
	}
}

func fleetRender(b *testing.B, n int) {
	work := b.TempDir()
	invDir, out, cache := filepath.Join(work, "inventory"), filepath.Join(work, "out"), filepath.Join(work, "cache")
	if err := os.Mkdir(invDir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := writeFleetFiles(invDir, n); err != nil {
		b.Fatal(err)
	}
	args := []string{"render", "-f", invDir, "-o", out, "--allow-outside-repo"}
	procs := runtime.GOMAXPROCS(0)
	// Each time is the fastest of two runs, and the peak memory the lower
	// of their two: the machine's disk and neighbours make single runs vary
	// more than what is measured, and a starved garbage collector only ever
	// inflates a peak.
	var full time.Duration
	var rss int64
	for i := range 2 {
		reset(b, out)
		b.Setenv("LOWLAT_BENCH_CACHE", filepath.Join(cache, strconv.Itoa(i)))
		t, r := child(b, procs, args...)
		if i == 0 || t < full {
			full = t
		}
		if i == 0 || r < rss {
			rss = r
		}
	}
	b.ReportMetric(float64(full.Nanoseconds())/float64(n), "ns/cluster")
	b.ReportMetric(float64(rss)/(1<<20), "peak-MB")

	before := mtimes(b, out)
	again, _ := child(b, procs, args...)
	if t, _ := child(b, procs, args...); t < again {
		again = t
	}
	b.ReportMetric(float64(again.Nanoseconds())/float64(n), "rerender-ns/cluster")
	b.ReportMetric(float64(changedFiles(before, mtimes(b, out))), "rerender-files-changed")

	one := filepath.Join(invDir, "c00001.yaml")
	data, err := os.ReadFile(one)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(one, bytes.Replace(data, []byte("replicas: 2"), []byte("replicas: 3"), 1), 0o644); err != nil {
		b.Fatal(err)
	}
	before = mtimes(b, out)
	child(b, procs, args...)
	b.ReportMetric(float64(changedFiles(before, mtimes(b, out))), "one-change-files-changed")

	if n <= 1000 && procs > 1 {
		// One core, from scratch, for the parallel speed-up.
		reset(b, out)
		b.Setenv("LOWLAT_BENCH_CACHE", filepath.Join(work, "cache-1"))
		single, _ := child(b, 1, args...)
		b.ReportMetric(float64(single.Nanoseconds())/float64(n), "1core-ns/cluster")
	}
}

// reset empties the output directory.
func reset(b *testing.B, out string) {
	b.Helper()
	if err := os.RemoveAll(out); err != nil {
		b.Fatal(err)
	}
	if err := os.Mkdir(out, 0o755); err != nil {
		b.Fatal(err)
	}
}

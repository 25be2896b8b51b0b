package krm

import (
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/lowlat/lowlat/generator/layout"
)

// The two benchmarks run the pinned kustomize CLI on the workshop tree, as
// a user does: once on the committed overlay, once on the KRM entry point,
// which execs bin/lowlat-fn. The function's cost is the difference.

func BenchmarkKustomizeBuildCommitted(b *testing.B) {
	needBinaries(b)
	dir, clusters := writeTree(b, cases[0])
	overlay := filepath.Join(dir, layout.ClusterDir(clusters[0]))
	for b.Loop() {
		kustomizeBuild(b, overlay)
	}
}

// BenchmarkKustomizeBuildFn also times a build of the committed overlay
// between its own builds, outside the measured time, and reports the ratio
// of the two (x-committed): on a busy machine both drift together.
func BenchmarkKustomizeBuildFn(b *testing.B) {
	needBinaries(b)
	dir, clusters := writeTree(b, cases[0])
	overlay := filepath.Join(dir, layout.ClusterDir(clusters[0]))
	entry := filepath.Join(dir, layout.KRMDir(clusters[0]))
	var fn, committed time.Duration
	for b.Loop() {
		b.StopTimer()
		start := time.Now()
		kustomizeBuild(b, overlay)
		committed += time.Since(start)
		b.StartTimer()
		start = time.Now()
		kustomizeBuild(b, entry, "--enable-alpha-plugins", "--enable-exec")
		fn += time.Since(start)
	}
	b.ReportMetric(float64(fn)/float64(committed), "x-committed")
}

func kustomizeBuild(b *testing.B, dir string, flags ...string) {
	out, err := exec.Command(binaries.kustomize, append(append([]string{"build"}, flags...), dir)...).CombinedOutput()
	if err != nil {
		b.Fatalf("kustomize build %s: %v\n%s", dir, err, out)
	}
}

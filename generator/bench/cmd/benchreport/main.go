// Command benchreport reads `go test -bench` output for lowlat's render,
// marshal-floor and partitioner benchmarks on stdin and prints the ratios
// the figures are judged by.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// line matches "BenchmarkName-2  N  123 ns/op  45.6 unit ...".
var line = regexp.MustCompile(`^(Benchmark\S+?)(-\d+)?\s+\d+\s+(.*)$`)

type result map[string]float64 // unit → value

func main() {
	results, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchreport: %v\n", err)
		os.Exit(1)
	}
	if err := report(os.Stdout, results); err != nil {
		fmt.Fprintf(os.Stderr, "benchreport: %v\n", err)
		os.Exit(1)
	}
}

func parse(r io.Reader) (map[string]result, error) {
	out := map[string]result{}
	s := bufio.NewScanner(r)
	for s.Scan() {
		m := line.FindStringSubmatch(s.Text())
		if m == nil {
			continue
		}
		fields := strings.Fields(m[3])
		res := result{}
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err == nil {
				res[fields[i+1]] = v
			}
		}
		out[m[1]] = res
	}
	return out, s.Err()
}

func report(w io.Writer, rs map[string]result) error {
	one, ok := rs["BenchmarkRender/clusters=1"]
	if !ok {
		return fmt.Errorf("no BenchmarkRender/clusters=1 in the input")
	}
	fmt.Fprintln(w, "render (in memory)    ms/op     ms/cluster  ×per-cluster vs 1  KB/cluster")
	var names []string
	for name := range rs {
		if strings.HasPrefix(name, "BenchmarkRender/") {
			names = append(names, name)
		}
	}
	sort.Slice(names, func(i, j int) bool { return clusters(names[i]) < clusters(names[j]) })
	for _, name := range names {
		r, n := rs[name], clusters(name)
		fmt.Fprintf(w, "  %-5d clusters  %9.2f  %10.3f  %17.2f  %10.1f\n", n, r["ns/op"]/1e6,
			r["ns/cluster"]/1e6, r["ns/cluster"]/one["ns/cluster"], r["B/op"]/1024/float64(n))
	}
	if floor, ok := rs["BenchmarkMarshalFloor"]; ok {
		fmt.Fprintf(w, "render of 1 cluster vs only marshalling its objects to YAML: %.2f× (%.2f ms vs %.2f ms)\n",
			one["ns/op"]/floor["ns/op"], one["ns/op"]/1e6, floor["ns/op"]/1e6)
	}
	fleetReport(w, rs)
	if fn, ok := rs["BenchmarkKustomizeBuildFn"]; ok {
		fmt.Fprintf(w, "kustomize build of a KRM entry point vs of the committed overlay: %.2f× (target ≤ 1.5)\n", fn["x-committed"])
	}
	if split, ok := rs["BenchmarkSplit512"]; ok {
		fmt.Fprintf(w, "partitioner on a 512-CPU, 8-NUMA host: %.3f ms, %.0f KB\n", split["ns/op"]/1e6, split["B/op"]/1024)
	}
	return nil
}

func clusters(name string) int {
	n, _ := strconv.Atoi(name[strings.LastIndex(name, "=")+1:])
	return n
}

// fleetReport prints the fleet figures of BenchmarkFleetRender and the
// ratios they are judged by.
func fleetReport(w io.Writer, rs map[string]result) {
	small, okSmall := rs["BenchmarkFleetRender/clusters=1000"]
	large, okLarge := rs["BenchmarkFleetRender/clusters=10000"]
	if !okSmall {
		return
	}
	fmt.Fprintln(w, "fleet render (lowlat render -f DIR, one file per cluster, child process)")
	fmt.Fprintln(w, "  clusters  ms/cluster  peak MB  unchanged re-render  files touched  one cluster changed")
	for _, row := range []struct {
		n  int
		r  result
		ok bool
	}{{1000, small, okSmall}, {10000, large, okLarge}} {
		if !row.ok {
			continue
		}
		r := row.r
		fmt.Fprintf(w, "  %-8d  %10.3f  %7.1f  %18.2f×  %13.0f  %8.0f files written\n", row.n, r["ns/cluster"]/1e6, r["peak-MB"],
			r["rerender-ns/cluster"]/r["ns/cluster"], r["rerender-files-changed"], r["one-change-files-changed"])
	}
	if okLarge {
		fmt.Fprintf(w, "per-cluster time, 10,000 vs 1,000 clusters: %.2f× (target ≤ 1.2)\n", large["ns/cluster"]/small["ns/cluster"])
		fmt.Fprintf(w, "peak RSS, 10,000 vs 1,000 clusters: %.2f× (target ≤ 1.3)\n", large["peak-MB"]/small["peak-MB"])
	}
	if one, ok := small["1core-ns/cluster"]; ok {
		fmt.Fprintf(w, "throughput on all cores vs one, 1,000 clusters: %.2f× (target ≥ 1.6 on 2 cores)\n", one/small["ns/cluster"])
	}
}

package twin

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// latencyRunners are the wrappers of cnf-tests' latency test image that
// the twin plays, with a report each prints as its test does: oslat's
// per-core table, cyclictest's histogram footer (rt-tests).
var latencyRunners = map[string]string{
	"oslat-runner": `oslat V 2.60
Total runtime: 		%s seconds
Test completed.

        Core:	 3 4 5
     Minimum:	 1 1 1 (us)
     Average:	 1.054 1.061 1.058 (us)
     Maximum:	 7 9 6 (us)
     Max-Min:	 6 8 5 (us)
`,
	"cyclictest-runner": `# /dev/cpu_dma_latency set to 0us
# Total: %s
# Min Latencies: 00001 00002
# Avg Latencies: 00002 00003
# Max Latencies: 00011 00015
# Histogram Overflows: 00000 00000
`,
}

// latencyRunner is the runner a wrapped test container runs (package
// perfrun Wrap: the test's argv follows the wrapper's script), or "".
func latencyRunner(c *corev1.Container) string {
	if len(c.Args) == 0 {
		return ""
	}
	if _, ok := latencyRunners[path.Base(c.Args[0])]; ok {
		return c.Args[0]
	}
	return ""
}

// latencyTest plays a wrapped oslat or cyclictest run in a Job's pod: it
// takes the test's runtime (-runtime= or -duration=, seconds), then runs
// the wrapper for real with the runner replaced by one that prints the
// test's report.
func (p *process) latencyTest(ctx context.Context, c *corev1.Container) (int, string, bool) {
	runner := latencyRunner(c)
	seconds := "0"
	for _, a := range c.Args {
		for _, flag := range []string{"-runtime=", "-duration="} {
			if v, ok := strings.CutPrefix(a, flag); ok {
				seconds = v
			}
		}
	}
	sec, _ := strconv.Atoi(seconds)
	if p.t.clock.Elapsed() < p.started+time.Duration(sec)*time.Second {
		return 0, "", false
	}
	dir, err := os.MkdirTemp(p.t.scratch(), "latency-")
	if err != nil {
		return 1, err.Error(), true
	}
	defer os.RemoveAll(dir)
	stub := filepath.Join(dir, path.Base(runner))
	body := "#!/bin/sh\ncat <<'REPORT'\n" + strings.Replace(latencyRunners[path.Base(runner)], "%s", seconds, 1) + "REPORT\n"
	if err := os.WriteFile(stub, []byte(body), 0o755); err != nil {
		return 1, err.Error(), true
	}
	p.extraMounts = map[string]string{runner: stub}
	defer func() { p.extraMounts = nil }()
	var state any
	return p.script(ctx, c, &state)
}

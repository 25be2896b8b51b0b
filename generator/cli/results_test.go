package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const kubeBurnerFixtures = "../../fixtures/kube-burner"

func fixture(parts ...string) string {
	return filepath.Join(append([]string{kubeBurnerFixtures}, parts...)...)
}

func historyRuns(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob(fixture("history", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no history fixtures: %v", err)
	}
	return dirs
}

// run calls Main with buffers and returns the exit code and both outputs.
func run(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := Main(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestResultsExitCodes(t *testing.T) {
	ackAll := filepath.Join(t.TempDir(), "ack.yaml")
	if err := os.WriteFile(ackAll, []byte("ack:\n  - uuid: e2896e62-3616-43b0-944d-fb6b1a1948b6\n    metric: podLatency/pod-density\n    reason: known\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"a comparison without thresholds passes", []string{"results", "compare", fixture("baseline"), fixture("retest")},
			0, "63 better, 5 worse, 12 same.", ""},
		{"a breached threshold exits 2", []string{"results", "compare", fixture("baseline"), fixture("retest"), "--thresholds", fixture("thresholds.yaml"), "-o", "markdown"},
			2, "- vmiLatency vmi-latency VMIRunning P99: +16.4% > +10%", "lowlat: 1 statistic(s) of the re-test broke their thresholds"},
		{"a wider tolerance does not excuse a threshold", []string{"results", "compare", fixture("baseline"), fixture("retest"), "--thresholds", fixture("thresholds.yaml"), "--tolerance", "25%"},
			2, "0 better, 0 worse, 80 same.", ""},
		{"an unknown format is a usage error", []string{"results", "compare", fixture("baseline"), fixture("retest"), "-o", "yaml"},
			1, "", `unknown output format "yaml"`},
		{"a directory without results is an error", []string{"results", "compare", fixture(), fixture("retest")},
			1, "", "no *QuantilesMeasurement-<job>.json files"},
		{"the history's step is a new regression", append([]string{"results", "history"}, historyRuns(t)...),
			2, "10 change points: 10 new regressions, 0 acknowledged.", "lowlat: 10 new regression(s)"},
		{"half the step acknowledged still fails", append([]string{"results", "history", "--acknowledged", fixture("acknowledged.yaml")}, historyRuns(t)...),
			2, "5 new regressions, 5 acknowledged", ""},
		{"the whole step acknowledged passes", append([]string{"results", "history", "--acknowledged", ackAll}, historyRuns(t)...),
			0, "10 change points: 0 new regressions, 10 acknowledged.", ""},
		{"metrics without a change pass", append([]string{"results", "history", "--metric", "vmiLatency/*"}, historyRuns(t)...),
			0, "no change points.", ""},
		{"a bad p-value is an error", append([]string{"results", "history", "--pvalue", "2"}, historyRuns(t)...),
			1, "", "p-value 2 is outside (0, 1]"},
		{"history needs runs", []string{"results", "history"},
			1, "", "give kube-burner metrics directories, --series files, or both"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := run(c.args...)
			if code != c.code || !strings.Contains(stdout, c.stdout) || !strings.Contains(stderr, c.stderr) {
				t.Errorf("exit %d, want %d\nstdout (want %q):\n%s\nstderr (want %q):\n%s", code, c.code, c.stdout, stdout, c.stderr, stderr)
			}
		})
	}
}

func TestResultsHistoryJSONFeedsBackAsSeries(t *testing.T) {
	dirs := historyRuns(t)
	// Directory order is uuid order, so these are 40 runs from all over.
	_, out, stderr := run(append([]string{"results", "history", "-o", "json", "--metric", "podLatency/pod-density/Ready/P99"}, dirs[:40]...)...)
	if summary := strings.SplitN(stderr, "\n", 2)[0]; !strings.HasSuffix(summary, "acknowledged.") && summary != "no change points." {
		t.Fatalf("stderr %q, want the summary line first", stderr)
	}
	var runs []map[string]any
	if err := json.Unmarshal([]byte(out), &runs); err != nil || len(runs) != 40 {
		t.Fatalf("JSON output of %d runs: %v", len(runs), err)
	}
	saved := filepath.Join(t.TempDir(), "history.json")
	if err := os.WriteFile(saved, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	plot := filepath.Join(t.TempDir(), "ready.svg")
	args := append([]string{"results", "history", "--series", saved, "--metric", "podLatency/pod-density/Ready/P99", "--plot", plot}, dirs[40:]...)
	code, out, _ := run(args...)
	if code != 2 || !strings.Contains(out, "60 runs") {
		t.Errorf("saved 40 runs plus 20 directories: exit %d, want 2 for the step\n%s", code, out)
	}
	if svg, err := os.ReadFile(plot); err != nil || !bytes.Contains(svg, []byte("podLatency/pod-density/Ready/P99")) {
		t.Errorf("plot not written with its title: %v", err)
	}
}

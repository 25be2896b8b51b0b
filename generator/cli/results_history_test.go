package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const caseStudy = "../../fixtures/results/cpt-case-study.csv"

func TestResultsHistoryOnTheCPTCaseStudy(t *testing.T) {
	code, out, _ := run("results", "history", "--series", caseStudy)
	if code != 2 || strings.Count(out, "  regression\n") != 1 || !strings.Contains(out, "2d6b598f-..-64d5c98e4236  readOnlyAPICallsLatency_max") ||
		!strings.Contains(out, "1 change point: 1 new regression, 0 acknowledged.") {
		t.Errorf("rank: exit %d, want 2 and one regression at 2d6b598f:\n%s", code, out)
	}
	code, out, _ = run("results", "history", "--series", caseStudy, "--direction", "both", "--min-change", "0")
	if code != 2 || !strings.Contains(out, "1 change point:") {
		t.Errorf("rank, every direction and size: exit %d, want the one regression alone:\n%s", code, out)
	}
	code, out, _ = run("results", "history", "--series", caseStudy, "--method", "otava")
	if code != 0 || !strings.Contains(out, "no change points.") {
		t.Errorf("otava: exit %d, want 0 and nothing found, as Otava's t-test does:\n%s", code, out)
	}
}

func TestResultsHistoryJSONCarriesTheClass(t *testing.T) {
	_, out, _ := run("results", "history", "--series", caseStudy, "-o", "json")
	var runs []struct {
		UUID    string `json:"uuid"`
		Metrics map[string]struct {
			Class string `json:"class"`
		} `json:"metrics"`
		IsChangepoint bool `json:"is_changepoint"`
	}
	if err := json.Unmarshal([]byte(out), &runs); err != nil || len(runs) != 15 {
		t.Fatalf("%d runs: %v", len(runs), err)
	}
	for i, r := range runs {
		class := r.Metrics["readOnlyAPICallsLatency_max"].Class
		if (i == 7) != r.IsChangepoint || (i == 7) != (class == "regression") {
			t.Errorf("run %d %s: is_changepoint %v, class %q", i, r.UUID, r.IsChangepoint, class)
		}
	}
}

// series writes a CSV of readOnlyAPICallsLatency_max values, one run every
// 6 hours, and returns its path.
func series(t *testing.T, values ...float64) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("uuid,timestamp,readOnlyAPICallsLatency_max\n")
	for i, v := range values {
		fmt.Fprintf(&b, "run-%02d,%d,%g\n", i, 1736768282+i*6*3600, v)
	}
	return writeSeries(t, b.String())
}

func writeSeries(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.csv")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestResultsHistoryClasses(t *testing.T) {
	level := []float64{1.01, 0.98, 1.0, 1.02, 0.99, 1.0, 0.97, 1.03, 1.0, 0.99, 1.01, 1.0, 0.98, 1.02, 1.0, 0.99, 1.01, 1.0, 0.98, 1.0}
	spike := append(append(append([]float64{}, level[:10]...), 5), level[10:]...)
	long := append(append(append(append([]float64{}, level...), level...), 5), level...)
	newest := append(append([]float64{}, level...), 3.1, 2.9)
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string
	}{
		{"a one-run spike is transient and passes", []string{"--series", series(t, spike...)}, 0, "1 change point: 0 new regressions, 0 acknowledged, 1 transient."},
		{"a one-run spike in 61 runs is transient too", []string{"--series", series(t, long...)}, 0, "1 transient."},
		{"a move of the two newest runs is unconfirmed and fails", []string{"--series", series(t, newest...)}, 2, "1 unconfirmed."},
		{"an unconfirmed move passes with --unconfirmed report", []string{"--series", series(t, newest...), "--unconfirmed", "report"}, 0, "unconfirmed"},
		{"a step in ten runs is too short to confirm", []string{"--series", series(t, append(level[:7:7], 2.1, 1.9, 2.0)...)}, 2, "10 runs are too few for the rank test"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := run(append([]string{"results", "history"}, c.args...)...)
			if code != c.code || !strings.Contains(out, c.stdout) {
				t.Errorf("exit %d, want %d; stdout (want %q):\n%s\nstderr:\n%s", code, c.code, c.stdout, out, stderr)
			}
		})
	}
}

func TestResultsHistoryBadSeries(t *testing.T) {
	const header = "uuid,timestamp,readOnlyAPICallsLatency_max\n"
	ok := "a,2025-01-13 11:38:02 +0000,0.984\n"
	cases := []struct {
		name    string
		content string
		args    []string
		want    []string
	}{
		{"a header without the timestamp column", "uuid,readOnlyAPICallsLatency_max\na,0.984\n", nil,
			[]string{"history.csv:1: header", "must be uuid,timestamp,<metric>..."}},
		{"a row missing a column", header + ok + "b,2025-01-14 19:20:40 +0000\n", nil,
			[]string{"history.csv:3: 2 fields where the header has 3"}},
		{"an unparsable number", header + ok + "b,2025-01-14 19:20:40 +0000,0,984\nc,2025-01-15 03:28:01 +0000,fast\n", nil,
			[]string{"history.csv:3: 4 fields", `history.csv:4: readOnlyAPICallsLatency_max: "fast" is not a finite number`}},
		{"a number that is not finite", header + ok + "b,2025-01-14 19:20:40 +0000,NaN\n", nil,
			[]string{`history.csv:3: readOnlyAPICallsLatency_max: "NaN" is not a finite number`}},
		{"an unparsable timestamp", header + ok + "b,14/01/2025 19:20,0.984\n", nil,
			[]string{`history.csv:3: timestamp "14/01/2025 19:20" is neither`}},
		{"a uuid twice", header + ok + "b,2025-01-14 19:20:40 +0000,0.984\na,2025-01-15 03:28:01 +0000,0.976\n", nil,
			[]string{"history.csv:4: run a appears twice, first at ", "history.csv:2"}},
		{"fewer runs than the rank method needs", header + strings.Repeat(ok, 1) + "b,1736899240,0.9\nc,1736900000,0.9\nd,1736910000,0.9\ne,1736920000,0.9\n", nil,
			[]string{"history.csv:6: 5 runs; the rank method needs at least 6"}},
		{"fewer runs than the t-test needs", header + ok + "b,1736899240,0.9\n", []string{"--method", "otava"},
			[]string{"history.csv:3: 2 runs; the otava method needs at least 3"}},
		{"a header and no runs", header, nil, []string{"history.csv:1: a header and no runs"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"results", "history", "--series", writeSeries(t, c.content)}, c.args...)
			code, out, stderr := run(args...)
			if code != 1 || out != "" {
				t.Errorf("exit %d with stdout %q, want 1 and nothing analysed", code, out)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
}

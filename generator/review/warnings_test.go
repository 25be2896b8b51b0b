package review

import (
	"strings"
	"testing"
)

// TestARetuneSaysWhichPerfRunMeasuresIt: with perf tests, a tuning change
// names the new re-test, and the one it supersedes is kept as a record.
func TestARetuneSaysWhichPerfRunMeasuresIt(t *testing.T) {
	withTests := edit{"    workloads:\n", "    perfTests:\n      nodePool: cnf-c5\n      podDensity: 10\n    workloads:\n"}
	rep, err := Compare(rendered("base", withTests)(t), rendered("head", withTests, moreReserved)(t))
	if err != nil {
		t.Fatal(err)
	}
	var added, kept *Warning
	for i := range rep.Warnings {
		w := &rep.Warnings[i]
		switch {
		case w.Kind == WarnPerfRun:
			added = w
		case w.Kind == WarnNotPruned && strings.Contains(strings.Join(w.Resources, ","), "kube-burner-retest-"):
			kept = w
		}
	}
	if added == nil || !strings.Contains(added.Subject(), "Job lowlat-perf/kube-burner-retest-") || !strings.Contains(added.Detail(), "once every pool it tests runs it") {
		t.Errorf("no perf run warning for the new re-test: %+v", rep.Warnings)
	}
	if kept == nil || !kept.Run || !strings.Contains(kept.Detail(), "retention pass") {
		t.Errorf("the superseded re-test is not reported as a kept run: %+v", kept)
	}
}

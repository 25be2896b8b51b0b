//go:build e2e

package rehearse

import (
	"strings"
	"testing"
	"time"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
	"github.com/lowlat/lowlat/generator/rehearse/twin"
)

// canaryRun is one canary re-test Job in a pass: when it started and when
// it finished.
type canaryRun struct {
	job           string
	started, done time.Duration
	status        string
}

// canaryRuns lists the re-test Jobs (lowlat-perf/canary-cnf-<hash>) of a
// revision, in the order they started.
func canaryRuns(events []timeline.Event, revision string) []canaryRun {
	var out []canaryRun
	for _, e := range events {
		name, ok := strings.CutPrefix(e.Resource, "Job lowlat-perf/canary-cnf-")
		if e.Kind != timeline.Run || e.Revision != revision || !ok {
			continue
		}
		switch e.Status {
		case "Running":
			out = append(out, canaryRun{job: name, started: e.At})
		case "Complete", "Failed":
			for i := range out {
				if out[i].job == name {
					out[i].done, out[i].status = e.At, e.Status
				}
			}
		}
	}
	return out
}

// drains are the times the pool's held nodes (not the canary) were
// drained in a revision, and the canary's.
func drains(events []timeline.Event, revision string) (held, canary []time.Duration) {
	for _, e := range events {
		if e.Kind != timeline.Drain || e.Revision != revision {
			continue
		}
		switch e.Pool {
		case "cnf":
			held = append(held, e.At)
		case "cnf-canary":
			canary = append(canary, e.At)
		}
	}
	return held, canary
}

// TestCanaryRolloutThenUpdate rolls a pool with a canary out, then a change
// of its reserved CPUs: in each pass the canary reboots first, its
// re-test runs on the new config and passes, and only then do the other
// two nodes drain; the update's re-test is a new Job (a new config's hash).
func TestCanaryRolloutThenUpdate(t *testing.T) {
	fromInv, before := load(t, repo+"/fixtures/rehearse/canary.yaml")
	inv, after := load(t, repo+"/fixtures/rehearse/canary-update.yaml")
	rep := rehearse(t, Options{Inventory: inv, FromInventory: fromInv,
		From: &Revision{Label: "rollout", Tree: before}, To: Revision{Label: "update", Tree: after}, Speed: faultSpeed})
	if !rep.Converged() {
		t.Fatal("the canary rollout does not converge in both passes")
	}
	c := rep.Clusters[0]
	seen := map[string]bool{}
	for _, rev := range []string{"rollout", "update"} {
		runs := canaryRuns(c.Events, rev)
		held, canary := drains(c.Events, rev)
		if len(runs) != 1 || runs[0].status != "Complete" {
			t.Fatalf("%s: canary re-tests %+v; want one, passed", rev, runs)
		}
		if seen[runs[0].job] {
			t.Errorf("%s: re-test %s ran before; a new config gets a new re-test", rev, runs[0].job)
		}
		seen[runs[0].job] = true
		if len(canary) != 1 || len(held) != 2 {
			t.Fatalf("%s: %d canary and %d held drains; want 1 and 2", rev, len(canary), len(held))
		}
		if runs[0].started < canary[0] {
			t.Errorf("%s: the re-test started at %s, before the canary drained at %s", rev, runs[0].started, canary[0])
		}
		for _, d := range held {
			if d < runs[0].done {
				t.Errorf("%s: a held node drained at %s, before the canary's re-test passed at %s", rev, d, runs[0].done)
			}
		}
		var rolled bool
		for _, p := range c.Passes {
			for _, r := range p.Rollouts {
				rolled = rolled || (p.Revision == rev && r.Pool == "cnf" && r.Canary && r.Took > 0 && r.Estimate > 0)
			}
		}
		if !rolled {
			t.Errorf("%s: the report times no canary rollout of pool cnf", rev)
		}
	}
}

// TestCanaryHoldsThePoolWhenItsRetestFails: a failed re-test leaves the
// other nodes on their old config, and the tuning Application reports it.
func TestCanaryHoldsThePoolWhenItsRetestFails(t *testing.T) {
	inv, tr := load(t, repo+"/fixtures/rehearse/canary.yaml")
	rep := rehearse(t, Options{Inventory: inv, To: Revision{Label: "rollout", Tree: tr},
		Faults: twin.Faults{FailJob: []string{"lowlat-perf/canary-cnf-*"}}, Speed: faultSpeed, Timeout: 6 * time.Hour})
	if rep.Converged() {
		t.Fatal("the rollout converged although the canary's re-test failed")
	}
	c := rep.Clusters[0]
	runs := canaryRuns(c.Events, "rollout")
	if len(runs) == 0 || runs[0].status != "Failed" {
		t.Fatalf("canary re-tests %+v; want a failed one", runs)
	}
	held, canary := drains(c.Events, "rollout")
	if len(canary) != 1 || len(held) != 0 {
		t.Errorf("%d canary and %d held drains; the held nodes must not drain after a failed re-test", len(canary), len(held))
	}
	tuning := app(t, c.Passes[0], "lab-tuning")
	if tuning.Health == "Healthy" {
		t.Errorf("lab-tuning is Healthy although its pool is held by a failed re-test")
	}
}

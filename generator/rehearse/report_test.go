package rehearse

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/lowlat/lowlat/generator/canary"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

func sampleReport(outcome string) *Report {
	return &Report{Inventory: "workshop", Speed: 150, Clusters: []ClusterReport{{
		Cluster: "lab1",
		Passes: []Pass{{Revision: "main", Outcome: outcome, Took: 95 * time.Minute, Apps: []AppResult{
			{Name: "lab1-tuning", Wave: 0, Sync: "Synced", Health: "Progressing", Waiting: []ResourceState{
				{Resource: "MachineConfigPool.machineconfiguration.openshift.io cnf-c5", Sync: "Synced", Health: "Progressing", Message: "1 of 2 machines updated | 1 ready"},
			}},
		}}},
		Pools: poolSummary([]timeline.Event{
			{At: 10 * time.Minute, Kind: timeline.Drain, Pool: "cnf-c5"},
			{At: 12 * time.Minute, Kind: timeline.Reboot, Pool: "cnf-c5"},
			{At: 24 * time.Minute, Kind: timeline.Node, Pool: "cnf-c5", Status: "Ready"},
		}, []string{"cnf-c5"}),
		Events: []timeline.Event{{At: 12 * time.Minute, Kind: timeline.Reboot, Pool: "cnf-c5", Resource: "Node lab1-cnf-c5-0", Status: "Rebooting"}},
	}}}
}

func TestReportFormats(t *testing.T) {
	rep := sampleReport(Stalled)
	if rep.Converged() {
		t.Error("a stalled pass counts as converged")
	}
	if !sampleReport(Converged).Converged() {
		t.Error("a converged pass does not count")
	}
	if p := rep.Clusters[0].Pools[0]; p.Drains != 1 || p.Reboots != 1 || p.First != 10*time.Minute || p.Last != 24*time.Minute {
		t.Errorf("pool summary %+v", p)
	}
	var text, md, js bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"main: stalled after 1h35m0s", "waits for MachineConfigPool.machineconfiguration.openshift.io cnf-c5", "pool cnf-c5: 1 drains, 1 reboots, from 0:10:00 to 0:24:00", "0:12:00 reboot"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"**a rollout does not converge**", `1 of 2 machines updated \| 1 ready`, "<details><summary>timeline</summary>"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Clusters[0].Passes[0].Outcome != Stalled {
		t.Errorf("json does not round-trip: %v", err)
	}
}

// TestRolloutsTimeEachPoolAgainstTheEstimate: a pool's rollout runs from
// the render its first drain follows to its last node Ready, its canary's
// pool included, and sits next to lowlat diff's estimate; a pool that did
// not drain in a pass has none.
func TestRolloutsTimeEachPoolAgainstTheEstimate(t *testing.T) {
	m := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	events := []timeline.Event{
		{At: m(1), Kind: timeline.Node, Pool: "cnf", Status: "Rendered", Revision: "head"},
		{At: m(2), Kind: timeline.Node, Pool: "cnf-canary", Status: "Rendered", Revision: "head"},
		{At: m(3), Kind: timeline.Drain, Pool: "cnf-canary", Revision: "head"},
		{At: m(17), Kind: timeline.Node, Pool: "cnf-canary", Status: "Ready", Revision: "head"},
		{At: m(30), Kind: timeline.Drain, Pool: "cnf", Revision: "head"},
		{At: m(44), Kind: timeline.Node, Pool: "cnf", Status: "Ready", Revision: "head"},
		{At: m(45), Kind: timeline.Node, Pool: "storage", Status: "Rendered", Revision: "head"},
	}
	c := &inventory.Cluster{NodePools: []inventory.NodePool{
		{Name: "cnf", NodeRole: "cnf", Replicas: 2, Canary: true},
		{Name: "storage", NodeRole: "storage", Replicas: 1},
	}}
	passes := []Pass{{Revision: "head"}}
	rollouts(passes, events, c)
	want := []Rollout{{Pool: "cnf", Canary: true, Took: m(42), Estimate: c.NodePools[0].RolloutEstimate(canary.Interval)}}
	if diff := cmp.Diff(want, passes[0].Rollouts); diff != "" {
		t.Errorf("rollouts (-want +got):\n%s", diff)
	}
	if line := passes[0].effectLine(); !strings.Contains(line, "pool cnf rolled out through its canary in 42m0s (lowlat diff estimates 43m30s)") {
		t.Errorf("effect line %q", line)
	}
}

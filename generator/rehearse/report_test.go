package rehearse

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

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

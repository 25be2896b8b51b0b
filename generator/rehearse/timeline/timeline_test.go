package timeline

import (
	"testing"
	"time"
)

type fixed struct{ at time.Duration }

func (f *fixed) Elapsed() time.Duration { return f.at }

func TestEventsAreStampedAndKeptInTimeOrder(t *testing.T) {
	c := &fixed{at: time.Minute}
	r := New(c)
	r.SetRevision("abc")
	r.Add(Event{Kind: Reboot, Resource: "node/a"})
	c.at = 30 * time.Second
	r.Add(Event{Kind: Drain, Resource: "node/a", Revision: "def"})
	got := r.Events()
	if len(got) != 2 || got[0].Kind != Drain || got[1].Kind != Reboot {
		t.Fatalf("events %+v, want the drain at 30s before the reboot at 1m", got)
	}
	if got[1].At != time.Minute || got[1].Revision != "abc" || got[0].Revision != "def" {
		t.Errorf("stamps %+v", got)
	}
}

package clock

import (
	"context"
	"testing"
	"time"
)

func TestModelledTimeRunsSpeedTimesFaster(t *testing.T) {
	c := New(1000)
	if got := c.Real(time.Hour); got != 3600*time.Millisecond {
		t.Errorf("an hour takes %s of wall-clock time at 1000x, want 3.6s", got)
	}
	if got := c.Modelled(time.Millisecond); got != time.Second {
		t.Errorf("1ms of wall-clock time stands for %s at 1000x, want 1s", got)
	}
	d := c.After(10 * time.Second)
	if c.Passed(d) {
		t.Error("a deadline 10 modelled seconds away passed at once")
	}
	if err := c.Sleep(context.Background(), 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if !c.Passed(d) {
		t.Errorf("the deadline has not passed after sleeping past it (elapsed %s)", c.Elapsed())
	}
}

func TestSpeedBelowOneRunsInRealTime(t *testing.T) {
	if got := New(0).Speed(); got != 1 {
		t.Errorf("speed %v, want 1", got)
	}
}

func TestSleepEndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := New(1).Sleep(ctx, time.Hour); err == nil {
		t.Error("a cancelled sleep returned no error")
	}
}

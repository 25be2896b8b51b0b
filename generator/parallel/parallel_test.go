package parallel

import (
	"errors"
	"sync/atomic"
	"testing"
)

func TestEachCallsEveryIndexOnce(t *testing.T) {
	const n = 1000
	var calls [n]atomic.Int32
	if err := Each(n, func(i int) error { calls[i].Add(1); return nil }); err != nil {
		t.Fatal(err)
	}
	for i := range calls {
		if got := calls[i].Load(); got != 1 {
			t.Errorf("index %d called %d times", i, got)
		}
	}
}

func TestEachStopsStartingAfterAnError(t *testing.T) {
	const n = 100000
	boom := errors.New("boom")
	var started atomic.Int32
	err := Each(n, func(i int) error {
		started.Add(1)
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Each = %v, want %v", err, boom)
	}
	// The loop notices the error within the iterations already running.
	if s := started.Load(); s == n {
		t.Errorf("all %d iterations started after the error", s)
	}
}

func TestEachOfNothing(t *testing.T) {
	if err := Each(0, func(int) error { t.Fatal("called"); return nil }); err != nil {
		t.Fatal(err)
	}
}

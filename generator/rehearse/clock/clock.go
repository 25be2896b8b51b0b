package clock

import (
	"context"
	"time"
)

// Scaled maps wall-clock time onto modelled time: Speed modelled seconds
// pass per real second, counted from Start. The zero value is not usable;
// use New.
type Scaled struct {
	start time.Time
	speed float64
}

// New starts a clock at the current wall-clock time running speed times
// faster than real time; a speed below 1 runs in real time.
func New(speed float64) *Scaled {
	if speed < 1 {
		speed = 1
	}
	return &Scaled{start: time.Now(), speed: speed}
}

// Speed is how many modelled seconds pass per real second.
func (c *Scaled) Speed() float64 { return c.speed }

// Elapsed is the modelled time since the clock started.
func (c *Scaled) Elapsed() time.Duration {
	return time.Duration(float64(time.Since(c.start)) * c.speed)
}

// Now is the modelled time: the start plus Elapsed. Objects written to the
// API server carry it in their status timestamps.
func (c *Scaled) Now() time.Time { return c.start.Add(c.Elapsed()) }

// Real is how long a modelled duration takes on the wall clock.
func (c *Scaled) Real(modelled time.Duration) time.Duration {
	return time.Duration(float64(modelled) / c.speed)
}

// Modelled is how much modelled time a wall-clock duration stands for.
func (c *Scaled) Modelled(real time.Duration) time.Duration {
	return time.Duration(float64(real) * c.speed)
}

// Sleep waits for a modelled duration, or until ctx ends.
func (c *Scaled) Sleep(ctx context.Context, modelled time.Duration) error {
	t := time.NewTimer(c.Real(modelled))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Deadline is a point in modelled time, for "this reboot ends at".
type Deadline time.Duration

// After returns the deadline a modelled duration from now.
func (c *Scaled) After(modelled time.Duration) Deadline {
	return Deadline(c.Elapsed() + modelled)
}

// Passed reports whether the deadline has come.
func (c *Scaled) Passed(d Deadline) bool { return c.Elapsed() >= time.Duration(d) }

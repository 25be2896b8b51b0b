package rehearse

import (
	"sync"
	"time"

	"github.com/lowlat/lowlat/generator/rehearse/clock"
)

// origin measures modelled time from a point set once the cluster is up,
// so a report starts at the bootstrap, not at the API server's start.
type origin struct {
	clk *clock.Scaled
	mu  sync.Mutex
	at  time.Duration
}

func (o *origin) mark() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.at = o.clk.Elapsed()
}

// Elapsed is modelled time since mark.
func (o *origin) Elapsed() time.Duration {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.clk.Elapsed() - o.at
}

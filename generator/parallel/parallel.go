// Package parallel runs the iterations of lowlat's loops on every core: a
// fleet's files as they are loaded and rendered, and a file's clusters.
// It is golang.org/x/sync/errgroup with a limit of GOMAXPROCS and the rule
// those loops share: after the first error, no new iteration starts.
package parallel

import (
	"context"
	"runtime"

	"golang.org/x/sync/errgroup"
)

// Each calls fn for 0..n-1, GOMAXPROCS at a time, and returns the first
// error. Iterations start in order; once one fails, the rest do not start.
func Each(n int, fn func(i int) error) error {
	g, ctx := errgroup.WithContext(context.Background())
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error { return fn(i) })
	}
	return g.Wait()
}

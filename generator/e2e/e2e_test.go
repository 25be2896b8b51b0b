//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/render"
	"github.com/lowlat/lowlat/generator/tree"
)

// repoRoot is the repository, seen from this package's directory.
const repoRoot = "../.."

// cluster is the API server every test talks to; TestMain starts it once.
var cluster *Cluster

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	bin, err := BinDir(repoRoot)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	ctx, guard := guardSignals()
	defer guard.release()
	start := time.Now()
	c, err := Start(ctx, bin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer c.Stop()
	guard.set(c)
	fmt.Printf("e2e: etcd and kube-apiserver (%s) ready in %.1f s\n", bin, time.Since(start).Seconds())
	start = time.Now()
	n, err := c.InstallCRDs(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	fmt.Printf("e2e: %d upstream CRDs established in %.1f s\n", n, time.Since(start).Seconds())
	cluster = c
	return m.Run()
}

// signalGuard stops the servers when the run is interrupted: they sit in
// process groups of their own, so an interrupt at the terminal does not reach
// them, and deferred calls do not run when a signal ends the process. While
// the servers start, a signal cancels the context and Start cleans up; once
// they run, the guard stops them and exits.
type signalGuard struct {
	mu      sync.Mutex
	cluster *Cluster
	sigs    chan os.Signal
	done    chan struct{}
}

func guardSignals() (context.Context, *signalGuard) {
	ctx, cancel := context.WithCancel(context.Background())
	g := &signalGuard{sigs: make(chan os.Signal, 1), done: make(chan struct{})}
	signal.Notify(g.sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		select {
		case sig := <-g.sigs:
			fmt.Fprintf(os.Stderr, "e2e: %s: stopping etcd and kube-apiserver\n", sig)
			cancel()
			g.mu.Lock()
			defer g.mu.Unlock()
			if g.cluster != nil {
				g.cluster.Stop()
				os.Exit(1)
			}
		case <-g.done:
			cancel()
		}
	}()
	return ctx, g
}

// set hands the guard a running cluster to stop.
func (g *signalGuard) set(c *Cluster) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.cluster = c
}

func (g *signalGuard) release() {
	signal.Stop(g.sigs)
	close(g.done)
}

func TestCommittedTreeIsAccepted(t *testing.T) {
	tr, err := tree.Read(repoRoot, layout.Roots)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Len() == 0 {
		t.Fatalf("no generated files under %v of the repository; run make generate", layout.Roots)
	}
	requireAccepted(t, "", tr)
}

func TestGoldenTreesAreAccepted(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(repoRoot, "generator/render/testdata/golden/*/want"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden trees found (%v)", err)
	}
	for _, dir := range dirs {
		label, _ := filepath.Rel(repoRoot, dir)
		t.Run(filepath.Base(filepath.Dir(dir)), func(t *testing.T) {
			tr, err := tree.Read(dir, layout.Roots)
			if err != nil {
				t.Fatal(err)
			}
			requireAccepted(t, filepath.ToSlash(label), tr)
		})
	}
}

func TestWorkshopRenderIsAccepted(t *testing.T) {
	inv, err := inventory.Load(filepath.Join(repoRoot, "fixtures/inventories/workshop.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := render.Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	requireAccepted(t, "(workshop render)", tr)
}

// requireAccepted checks a tree and fails the test once per rejected
// resource, naming its file, line, kind and name and the server's message.
func requireAccepted(t *testing.T, label string, tr *tree.Tree) {
	t.Helper()
	start := time.Now()
	rep, err := cluster.Check(context.Background(), label, tr)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d resources from %d files checked in %.2f s", rep.Resources, tr.Len(), time.Since(start).Seconds())
	for _, w := range rep.Warnings {
		t.Logf("warning: %s", w)
	}
	for _, f := range rep.Failures {
		t.Errorf("rejected: %s", f)
	}
}

// TestKnownBadResourcesAreRejected proves the harness can fail: each
// resource breaks its upstream schema in one way, and the server must say so.
func TestKnownBadResourcesAreRejected(t *testing.T) {
	for _, tc := range badResources {
		t.Run(tc.name, func(t *testing.T) {
			tr := tree.New()
			if _, err := tr.Add("bad", tc.object); err != nil {
				t.Fatal(err)
			}
			rep, err := cluster.Check(context.Background(), "", tr)
			if err != nil {
				t.Fatal(err)
			}
			var msgs []string
			for _, f := range rep.Failures {
				msgs = append(msgs, f.String())
			}
			got := strings.Join(msgs, "\n")
			t.Logf("rejected: %s", got)
			if len(msgs) != 1 || !strings.Contains(got, tc.want) || !strings.Contains(got, "bad/") {
				t.Errorf("want one rejection of bad/... containing %q, got:\n%s", tc.want, got)
			}
		})
	}
}

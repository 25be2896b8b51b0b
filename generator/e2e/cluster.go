package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"k8s.io/client-go/rest"
)

// Cluster is an etcd and a kube-apiserver started for one test run, with
// everything they need (data, certificates, keys, logs) in one temporary
// directory.
type Cluster struct {
	// Config reaches the API server as a member of system:masters.
	Config *rest.Config
	// Dir holds the servers' files and logs.
	Dir string

	etcd, apiserver *process
	stopOnce        sync.Once
}

// Timeouts for start-up; generous because the machines that run this share
// their cores with builds.
const (
	etcdReadyTimeout      = time.Minute
	apiserverReadyTimeout = 3 * time.Minute
	stopGrace             = 10 * time.Second
)

// Start runs etcd and kube-apiserver from binDir on loopback ports picked at
// run time and returns once the API server answers /readyz. On error
// everything started so far is stopped again.
func Start(ctx context.Context, binDir string) (*Cluster, error) {
	dir, err := os.MkdirTemp("", "lowlat-e2e-")
	if err != nil {
		return nil, fmt.Errorf("e2e work directory: %w", err)
	}
	c := &Cluster{Dir: dir}
	etcdURL, err := c.startEtcd(ctx, filepath.Join(binDir, "etcd"))
	if err == nil {
		err = c.startAPIServer(ctx, filepath.Join(binDir, "kube-apiserver"), etcdURL)
	}
	if err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

// Stop ends both servers (the API server first, so it does not log a storm
// of etcd errors) and removes the work directory unless LOWLAT_E2E_KEEP is
// set. It is safe to call more than once and from a signal handler.
func (c *Cluster) Stop() {
	c.stopOnce.Do(func() {
		for _, p := range []*process{c.apiserver, c.etcd} {
			if p != nil {
				p.stop(stopGrace)
			}
		}
		if os.Getenv("LOWLAT_E2E_KEEP") == "" {
			_ = os.RemoveAll(c.Dir)
		}
	})
}

// startEtcd runs the etcd command of the tools module, which listens on
// ports the kernel picks and writes its client URL to a file once ready.
func (c *Cluster) startEtcd(ctx context.Context, bin string) (string, error) {
	urlFile := filepath.Join(c.Dir, "etcd.url")
	p, err := startProcess("etcd", bin, filepath.Join(c.Dir, "etcd.log"),
		"--data-dir", filepath.Join(c.Dir, "etcd"), "--url-file", urlFile)
	if err != nil {
		return "", err
	}
	c.etcd = p
	var u string
	err = poll(ctx, p, etcdReadyTimeout, func() error {
		data, err := os.ReadFile(urlFile)
		if err != nil {
			return errNotReady
		}
		u = string(trimNewline(data))
		return nil
	})
	return u, err
}

// poll calls ready until it returns nil, p exits, ctx ends or timeout passes.
func poll(ctx context.Context, p *process, timeout time.Duration, ready func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := ready()
		if err == nil {
			return nil
		}
		if p.exited() {
			return p.exitError()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %s (%v); last lines of %s:\n%s", p.name, timeout, err, p.log, p.logTail(20))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", p.name, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

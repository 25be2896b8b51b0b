package twin

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"

	"github.com/lowlat/lowlat/generator/rehearse/clock"
	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// Twin is the cluster twin of one rehearsal.
type Twin struct {
	spec  Spec
	clock *clock.Scaled
	rec   *timeline.Recorder
	cfg   *rest.Config
	dyn   dynamic.Interface
	kube  kubernetes.Interface

	controllers []controller
	hooks       *webhookServer
	kubelet     *kubelet
	olm         *olm
	machines    *machineAPI

	mu   sync.Mutex
	errs []error

	mapperOnce sync.Once
	mapper     *restmapper.DeferredDiscoveryRESTMapper
	expander   meta.RESTMapper
	mapperErr  error

	scratchOnce, toolsOnce sync.Once
	scratchDir             string
	toolsErr               error
}

// controller is one operator of the twin. reconcile is called once per
// tick with a fresh snapshot of the cluster; it acts on what changed and
// returns. Anything it must remember between ticks (a reboot's deadline)
// it keeps itself.
type controller interface {
	name() string
	reconcile(ctx context.Context, s *snapshot) error
}

// tick is how often, in real time, the controllers look at the cluster:
// often enough that modelled durations of a minute keep their order, and
// rarely enough that a loaded two-core machine keeps up.
const tick = 100 * time.Millisecond

// New connects a twin to the API server of cfg (as a cluster
// administrator: the twin plays the cluster's own operators).
func New(cfg *rest.Config, spec Spec, clk *clock.Scaled, rec *timeline.Recorder) (*Twin, error) {
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	kube, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	hooks, err := startWebhooks()
	if err != nil {
		return nil, err
	}
	t := &Twin{spec: spec, clock: clk, rec: rec, cfg: cfg, dyn: dyn, kube: kube, hooks: hooks}
	t.controllers = t.newControllers()
	return t, nil
}

// Close stops the twin's webhook server and removes its temporary files.
func (t *Twin) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	t.hooks.stop(ctx)
	if t.scratchDir != "" {
		_ = os.RemoveAll(t.scratchDir)
	}
}

// Spec is what the twin was built from.
func (t *Twin) Spec() Spec { return t.spec }

// Run reconciles every controller once per tick until ctx ends. A
// controller's conflict (someone else wrote the object meanwhile) is
// retried at the next tick; any other error is kept for Errors and the
// controller goes on, as an operator would requeue.
func (t *Twin) Run(ctx context.Context) {
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	for {
		s, err := t.takeSnapshot(ctx)
		if err == nil {
			for _, c := range t.controllers {
				if err := c.reconcile(ctx, s); err != nil && !ignorable(ctx, err) {
					t.fail(fmt.Errorf("%s: %w", c.name(), err))
				}
			}
		} else if !ignorable(ctx, err) {
			t.fail(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func ignorable(ctx context.Context, err error) bool {
	return ctx.Err() != nil || apierrors.IsConflict(err) || apierrors.IsAlreadyExists(err) || apierrors.IsNotFound(err)
}

func (t *Twin) fail(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.errs) < 20 {
		t.errs = append(t.errs, err)
	}
}

// Errors returns what went wrong inside the twin itself, as one error;
// nil when nothing did. A rehearsal with twin errors proves nothing.
func (t *Twin) Errors() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return errors.Join(t.errs...)
}

package rehearse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/lowlat/lowlat/generator/e2e"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/rehearse/appcontroller"
	"github.com/lowlat/lowlat/generator/rehearse/clock"
	"github.com/lowlat/lowlat/generator/rehearse/timeline"
	"github.com/lowlat/lowlat/generator/rehearse/twin"
	"github.com/lowlat/lowlat/generator/tree"
)

// Revision is one rendered tree to sync.
type Revision struct {
	// Label names it in the report: a git revision, or "working tree".
	Label string
	Tree  *tree.Tree
}

// Options configure a rehearsal.
type Options struct {
	Inventory *inventory.Inventory
	// From, when set, is rolled out first; To is then synced as an update.
	From *Revision
	// FromInventory is From's inventory, when it has one: the nodes of its
	// pools exist on the cluster too, also those the update drops.
	FromInventory *inventory.Inventory
	To            Revision
	// Clusters limits the rehearsal to these clusters (default: all).
	Clusters []string
	// Speed is modelled seconds per real second.
	Speed float64
	// Timeout ends a pass that has not converged (modelled time); Stall
	// ends one in which nothing happened for that long.
	Timeout, Stall time.Duration
	Durations      twin.Durations
	Faults         twin.Faults
	// TwinRelease makes the twin's operators behave as another OpenShift
	// release's than the inventory names (default: the inventory's).
	TwinRelease string
	// BundledChecks replaces ArgoCD's bundled health scripts (a
	// resource_customizations directory of another ArgoCD version).
	BundledChecks fs.FS
	// BinDir holds kube-apiserver, kubectl and etcd.
	BinDir string
	// NothingChanged: no cluster's tree changes between From and To, and
	// there is nothing to rehearse.
	NothingChanged bool
	// Progress, when set, gets a line per pass as it ends.
	Progress io.Writer
	// Inspect, when set, reads each cluster's API server once its passes
	// are over, as the cluster's administrator; an error it returns is
	// one of the cluster's errors.
	Inspect func(ctx context.Context, cluster string, cfg *rest.Config) error
}

// Defaults for Options.
const (
	DefaultSpeed   = 150
	DefaultTimeout = 8 * time.Hour
	DefaultStall   = 45 * time.Minute
)

// The OpenShift GitOps default instance the README bootstraps.
const (
	gitopsNamespace = "openshift-gitops"
	gitopsInstance  = "openshift-gitops"
	// ControllerServiceAccount is the application controller's account on
	// OpenShift GitOps (<instance>-argocd-application-controller).
	ControllerServiceAccount = "openshift-gitops-argocd-application-controller"
	repoRoot                 = "/repo"
)

// Run rehearses every selected cluster, one after the other (each on its
// own API server), and returns the report. An error means the rehearsal
// itself could not run; a rollout that stalls is a report, not an error.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Speed == 0 {
		o.Speed = DefaultSpeed
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Stall == 0 {
		o.Stall = DefaultStall
	}
	// gitops-engine and client-go log through klog; the report says what
	// happened.
	klog.SetLogger(logr.Discard())
	clusters, err := selectClusters(o.Inventory, o.Clusters)
	if err != nil {
		return nil, err
	}
	rep := &Report{Inventory: o.Inventory.Metadata.Name, Speed: o.Speed}
	for _, c := range clusters {
		cr, err := rehearseCluster(ctx, o, c)
		if err != nil {
			return nil, fmt.Errorf("cluster %s: %w", c.Name, err)
		}
		rep.Clusters = append(rep.Clusters, *cr)
	}
	return rep, nil
}

func selectClusters(inv *inventory.Inventory, names []string) ([]*inventory.Cluster, error) {
	var out []*inventory.Cluster
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	for i := range inv.Spec.Clusters {
		c := &inv.Spec.Clusters[i]
		if len(want) == 0 || want[c.Name] {
			out = append(out, c)
			delete(want, c.Name)
		}
	}
	if len(want) > 0 {
		var missing, known []string
		for n := range want {
			missing = append(missing, n)
		}
		for _, c := range inv.Spec.Clusters {
			known = append(known, c.Name)
		}
		sort.Strings(missing)
		return nil, fmt.Errorf("no cluster %v in inventory %s (it has %v)", missing, inv.Metadata.Name, known)
	}
	return out, nil
}

// repoOf loads a tree into an in-memory file system as ArgoCD's
// repo-server would check the revision out.
func repoOf(inv *inventory.Inventory, rev Revision) (*appcontroller.Repo, error) {
	fsys := filesys.MakeFsInMemory()
	prefix := path.Clean(inv.Spec.GitOps.Path)
	root := path.Join(repoRoot, prefix)
	for _, p := range rev.Tree.Paths() {
		data, _ := rev.Tree.File(p)
		full := path.Join(root, p)
		if err := fsys.MkdirAll(path.Dir(full)); err != nil {
			return nil, err
		}
		if err := fsys.WriteFile(full, data); err != nil {
			return nil, err
		}
	}
	return &appcontroller.Repo{URL: inv.Spec.GitOps.RepoURL, Revision: rev.Label, FS: fsys, Root: root, Prefix: prefix}, nil
}

// rehearseCluster runs the passes of one cluster on a fresh API server.
func rehearseCluster(ctx context.Context, o Options, c *inventory.Cluster) (*ClusterReport, error) {
	spec, err := twin.SpecFor(o.Inventory, c)
	if err != nil {
		return nil, err
	}
	if o.From != nil && o.FromInventory != nil {
		for i := range o.FromInventory.Spec.Clusters {
			if fc := &o.FromInventory.Spec.Clusters[i]; fc.Name == c.Name {
				before, err := twin.SpecFor(o.FromInventory, fc)
				if err != nil {
					return nil, err
				}
				spec.AddNodes(before.Nodes)
			}
		}
	}
	spec.Durations, spec.Faults = o.Durations, o.Faults
	spec.Kubectl = filepath.Join(o.BinDir, "kubectl")
	if o.TwinRelease != "" {
		spec.OpenShift = o.TwinRelease
	}
	passes := []Revision{o.To}
	if o.From != nil {
		passes = []Revision{*o.From, o.To}
	}
	repos := make([]*appcontroller.Repo, len(passes))
	for i, rev := range passes {
		if repos[i], err = repoOf(o.Inventory, rev); err != nil {
			return nil, err
		}
	}
	cluster, err := e2e.Start(ctx, o.BinDir)
	if err != nil {
		return nil, err
	}
	defer cluster.Stop()

	clk := clock.New(o.Speed)
	org := &origin{clk: clk}
	rec := timeline.New(org)
	tw, err := twin.New(cluster.Config, spec, clk, rec)
	if err != nil {
		return nil, err
	}
	defer tw.Close()
	if err := tw.Install(ctx); err != nil {
		return nil, err
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan struct{}, 2)
	// A panic in the twin or the controller must not skip the deferred
	// Stop, which removes the servers and their files: it ends the
	// rehearsal with an error instead.
	var crashMu sync.Mutex
	var crash error
	guard := func(what string, run func(context.Context)) {
		defer func() {
			if r := recover(); r != nil {
				crashMu.Lock()
				crash = fmt.Errorf("%s panicked: %v\n%s", what, r, debug.Stack())
				crashMu.Unlock()
				stop()
			}
			done <- struct{}{}
		}()
		run(runCtx)
	}
	go guard("cluster twin", tw.Run)

	ctl, err := appcontroller.New(appcontroller.Options{
		Namespace: gitopsNamespace, Instance: gitopsInstance,
		Config:       asServiceAccount(cluster.Config, gitopsNamespace, ControllerServiceAccount),
		RemoteConfig: asServiceAccount(cluster.Config, "kube-system", "argocd-manager"),
		Clock:        clk, Record: rec, Repo: repos[0], BundledChecks: o.BundledChecks,
	})
	if err != nil {
		stop()
		<-done
		return nil, err
	}
	if err := ctl.Start(); err != nil {
		stop()
		<-done
		return nil, err
	}
	org.mark()
	rep := &ClusterReport{Cluster: c.Name}
	rec.SetRevision(passes[0].Label)
	if err := bootstrap(ctx, cluster.Config, repos[0], c.Name); err != nil {
		stop()
		<-done
		ctl.Stop()
		return nil, fmt.Errorf("bootstrap as the README says: %w", err)
	}
	go guard("application controller", ctl.Run)
	w := &watcher{cfg: cluster.Config, clk: org, rec: rec, timeout: o.Timeout, stall: o.Stall, speed: o.Speed}
	for i, rev := range passes {
		if i > 0 {
			rec.SetRevision(rev.Label)
			ctl.SetRepo(repos[i])
		}
		pass, err := w.watch(runCtx, rev.Label)
		crashMu.Lock()
		if crash != nil {
			err = crash
		}
		crashMu.Unlock()
		if err != nil {
			stop()
			<-done
			<-done
			ctl.Stop()
			return nil, err
		}
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "%s: %s %s after %s\n", c.Name, rev.Label, pass.Outcome, roundDuration(pass.Took))
		}
		rep.Passes = append(rep.Passes, *pass)
		if pass.Outcome != Converged {
			break
		}
	}
	stop()
	<-done
	<-done
	ctl.Stop()
	var errs []error
	if o.Inspect != nil {
		if err := o.Inspect(ctx, c.Name, cluster.Config); err != nil {
			errs = append(errs, fmt.Errorf("inspect: %w", err))
		}
	}
	rep.Events = rec.Events()
	effects(rep.Passes, rep.Events)
	rollouts(rep.Passes, rep.Events, c)
	rep.Pools = poolSummary(rep.Events, spec.Pools())
	if err := tw.Errors(); err != nil {
		errs = append(errs, fmt.Errorf("cluster twin: %w", err))
	}
	if err := ctl.Err(); err != nil {
		errs = append(errs, fmt.Errorf("application controller: %w", err))
	}
	if err := errors.Join(errs...); err != nil {
		rep.Errors = append(rep.Errors, err.Error())
	}
	return rep, nil
}

// asServiceAccount is cfg impersonating a service account, with the
// groups the API server gives service-account tokens.
func asServiceAccount(cfg *rest.Config, namespace, name string) *rest.Config {
	out := rest.CopyConfig(cfg)
	out.Impersonate = rest.ImpersonationConfig{
		UserName: "system:serviceaccount:" + namespace + ":" + name,
		Groups:   []string{"system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated"},
	}
	return out
}

// Package command is the lowlat-rehearse command line (also `lowlat
// rehearse`, which runs this binary): flags, the checks of every input
// before a server starts, and the report on stdout. It is a binary of its
// own because ArgoCD's sync engine and its dependencies double the size and
// start-up of lowlat, and lowlat-fn must stay small.
package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lowlat/lowlat/generator/e2e"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/layout"
	"github.com/lowlat/lowlat/generator/rehearse"
	"github.com/lowlat/lowlat/generator/rehearse/twin"
	"github.com/lowlat/lowlat/generator/render"
	"github.com/lowlat/lowlat/generator/review"
	"github.com/lowlat/lowlat/generator/tree"
)

var rehearseOutputs = []string{"text", "markdown", "json"}

// defaultInventory is the inventory that renders the committed tree.
const defaultInventory = "fixtures/inventories/workshop.yaml"

// exitError carries the exit status out of the command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

// errSilent is a failure the report already explains.
var errSilent = errors.New("not converged")

// Main runs lowlat-rehearse with args and returns the exit status: 0 when
// every rollout converges, 1 when one does not, 2 when it cannot run.
func Main(args []string, stdout, stderr io.Writer) int {
	cmd := NewCommand()
	cmd.SetArgs(args)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	err := cmd.Execute()
	if err == nil {
		return 0
	}
	code := 2
	var exit *exitError
	if errors.As(err, &exit) {
		code = exit.code
	}
	if !errors.Is(err, errSilent) {
		fmt.Fprintf(stderr, "lowlat rehearse: %v\n", err)
	}
	return code
}

type rehearseOptions struct {
	inventory []string
	dir       string
	from      string
	clusters  []string
	output    string
	speed     float64
	timeout   time.Duration
	stall     time.Duration
	durations []string
	failJobs  []string
	stuckOps  []string
	lostNodes []string
	checks    string
	changed   bool
}

// NewCommand builds the rehearse command.
func NewCommand() *cobra.Command {
	o := &rehearseOptions{}
	cmd := &cobra.Command{
		Use:   "lowlat-rehearse [-f INVENTORY] [-d DIR] [--cluster NAME] [--from REV] [-o text|markdown|json]",
		Short: "Roll the rendered tree out on a cluster twin with ArgoCD's sync engine and report whether it converges",
		Long: `Rehearse rolls each cluster's rendered tree (-d, the committed one by
default; it must match a fresh render of -f) out the way OpenShift GitOps
would: a real kube-apiserver and etcd on loopback, made to
look like a fresh OpenShift cluster on EC2 with OpenShift GitOps installed (the
cluster twin plays OLM, the Node Tuning, Machine Config, SR-IOV and KubeVirt
operators, the machine API, the kubelets, the scheduler and the Job
controller), and ArgoCD's
application controller played with ArgoCD's own sync engine (gitops-engine),
acting as the OpenShift GitOps controller's service account. It bootstraps as
the README says (apps/health/openshift-gitops, then the root Application) and
waits until every Application is Synced and Healthy, until nothing happens
for --stall, or until --timeout; times are modelled (--speed modelled seconds
per real second).

With --from REV the committed tree of that git revision is rolled out first,
then the tree of -d as an update: the report shows what the change does to a
running cluster (pools that reboot, what is pruned, what runs again).

The report lists each pass's outcome, every Application by wave with the
resources it still waits for, each pool's drains and reboots, and the
timeline. Faults rehearse what goes wrong on real clusters: a Job whose pod
fails (--fail-job), an operator whose deployment never becomes ready
(--stuck-operator PACKAGE), a node that does not come back from a reboot
(--lost-node NODE, named <cluster>-<pool>-<n>).

Exit status: 0 when every rollout converges, 1 when one does not, 2 when the
rehearsal cannot run.`,
		Example: `  # The workshop tree, as make e2e rehearses it
  lowlat rehearse -f fixtures/inventories/workshop.yaml

  # An update from main, as a pull-request comment
  lowlat rehearse --from origin/main -o markdown > rehearsal.md

  # What a lost node does to the rollout
  lowlat rehearse --lost-node lab1-cnf-c5-1`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE:          func(cmd *cobra.Command, _ []string) error { return o.run(cmd) },
	}
	f := cmd.Flags()
	f.StringArrayVarP(&o.inventory, "filename", "f", []string{defaultInventory}, "inventory file or directory of inventory files; repeat for a fleet kept in several")
	f.StringVarP(&o.dir, "dir", "d", ".", "directory holding the rendered tree to rehearse (it must match a fresh render of the inventory)")
	f.StringVar(&o.from, "from", "", "git revision whose committed tree is rolled out first")
	f.StringSliceVar(&o.clusters, "cluster", nil, "rehearse only these clusters (default all)")
	f.BoolVar(&o.changed, "changed", false, "with --from: rehearse only the clusters whose synced tree differs between the two revisions")
	f.StringVarP(&o.output, "output", "o", "text", "report format: "+strings.Join(rehearseOutputs, ", "))
	f.Float64Var(&o.speed, "speed", rehearse.DefaultSpeed, "modelled seconds per real second")
	f.DurationVar(&o.timeout, "timeout", rehearse.DefaultTimeout, "modelled time after which a pass that has not converged ends")
	f.DurationVar(&o.stall, "stall", rehearse.DefaultStall, "modelled time without any event after which a pass counts as stalled")
	f.StringArrayVar(&o.durations, "duration", nil, "modelled duration of a cluster step, key=duration (keys: "+strings.Join(twin.DurationKeys(), ", ")+")")
	f.StringArrayVar(&o.failJobs, "fail-job", nil, "fault: the pod of this Job (by name) fails")
	f.StringArrayVar(&o.stuckOps, "stuck-operator", nil, "fault: this OLM package's CSV never leaves Installing")
	f.StringArrayVar(&o.lostNodes, "lost-node", nil, "fault: this node does not come back from its reboot")
	f.StringVar(&o.checks, "argocd-health", "", "directory of another ArgoCD version's resource_customizations to use as the bundled health checks")
	return cmd
}

func (o *rehearseOptions) run(cmd *cobra.Command) error {
	opts, problems := o.options(cmd.Context())
	if len(problems) > 0 {
		return &exitError{code: 2, err: errors.New(strings.Join(problems, "\n"))}
	}
	root, _, err := tree.Repository(".")
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if opts.BinDir, err = e2e.BinDir(root); err != nil {
		return &exitError{code: 2, err: err}
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts.Progress = cmd.ErrOrStderr()
	rep := &rehearse.Report{Inventory: opts.Inventory.Metadata.Name, Speed: opts.Speed,
		Note: fmt.Sprintf("no cluster's synced tree changes from %s", o.from)}
	if !opts.NothingChanged {
		rep, err = rehearse.Run(ctx, *opts)
	}
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	out := cmd.OutOrStdout()
	switch o.output {
	case "json":
		err = rep.WriteJSON(out)
	case "markdown":
		err = rep.WriteMarkdown(out)
	default:
		err = rep.WriteText(out)
	}
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if !rep.Converged() {
		return &exitError{code: 1, err: errSilent}
	}
	return nil
}

// options checks every flag and input before any server starts, and
// reports all problems at once.
func (o *rehearseOptions) options(ctx context.Context) (*rehearse.Options, []string) {
	var problems []string
	opts := &rehearse.Options{Speed: o.speed, Timeout: o.timeout, Stall: o.stall, Durations: twin.DefaultDurations(), Clusters: o.clusters}
	if !slices.Contains(rehearseOutputs, o.output) {
		problems = append(problems, fmt.Sprintf("--output %q: want one of %s", o.output, strings.Join(rehearseOutputs, ", ")))
	}
	if o.speed < 1 {
		problems = append(problems, fmt.Sprintf("--speed %g: want at least 1", o.speed))
	}
	if o.timeout <= 0 || o.stall <= 0 {
		problems = append(problems, "--timeout and --stall must be positive durations")
	}
	for _, d := range o.durations {
		if err := opts.Durations.Set(d); err != nil {
			problems = append(problems, "--duration "+err.Error())
		}
	}
	if o.checks != "" {
		if fi, err := os.Stat(o.checks); err != nil || !fi.IsDir() {
			problems = append(problems, fmt.Sprintf("--argocd-health %s: not a directory", o.checks))
		} else {
			opts.BundledChecks = os.DirFS(o.checks)
		}
	}
	inv, err := o.load()
	if err != nil {
		return nil, append(problems, err.Error())
	}
	opts.Inventory = inv
	rendered, err := render.Render(inv)
	if err != nil {
		return nil, append(problems, fmt.Sprintf("render %s: %v", o.names(), err))
	}
	committed, err := tree.Read(o.dir, layout.Roots)
	switch {
	case err != nil:
		problems = append(problems, fmt.Sprintf("-d %s: %v", o.dir, err))
	case committed.Len() == 0:
		problems = append(problems, fmt.Sprintf("-d %s: no rendered tree (base/, overlays/, apps/); run lowlat render -f %s -o %s", o.dir, strings.Join(o.inventory, " -f "), o.dir))
	default:
		if changes := tree.Compare(committed, rendered); len(changes) > 0 {
			var names []string
			for _, c := range changes {
				names = append(names, c.Kind+" "+c.Path)
			}
			if len(names) > 10 {
				names = append(names[:10], fmt.Sprintf("and %d more", len(names)-10))
			}
			problems = append(problems, fmt.Sprintf("-d %s: the tree does not match a fresh render of %s (%s); run lowlat render, or lowlat check to see the diff",
				o.dir, o.names(), strings.Join(names, ", ")))
		}
		label := o.dir
		if o.dir == "." {
			label = "working tree"
		}
		opts.To = rehearse.Revision{Label: label, Tree: committed}
	}
	problems = append(problems, o.checkTargets(inv, opts)...)
	if o.from != "" {
		// The revision's tree is the repository's at -d, where the
		// committed tree lives; the inventory's path is taken from there.
		side, err := review.Open(ctx, o.from, review.OpenOptions{RepoDir: o.dir, InventoryPaths: o.pathsIn(o.dir), Committed: true})
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("--from %s: %v", o.from, err))
		case side.Tree.Len() == 0:
			problems = append(problems, fmt.Sprintf("--from %s: no rendered tree is committed there", o.from))
		default:
			opts.From = &rehearse.Revision{Label: o.from, Tree: side.Tree}
			opts.FromInventory = side.Inventory
		}
	}
	if o.changed && o.from == "" {
		problems = append(problems, "--changed needs --from")
	}
	if len(problems) > 0 {
		return nil, problems
	}
	if o.changed {
		changed := rehearse.ChangedClusters(inv, opts.From.Tree, opts.To.Tree)
		if len(o.clusters) > 0 {
			changed = slices.DeleteFunc(changed, func(c string) bool { return !slices.Contains(o.clusters, c) })
		}
		opts.Clusters = changed
		opts.NothingChanged = len(changed) == 0
	}
	return opts, nil
}

// load reads the inventory, one file or a fleet.
func (o *rehearseOptions) load() (*inventory.Inventory, error) {
	return inventory.LoadFleet(o.inventory)
}

// names names the inventory's files and directories in messages.
func (o *rehearseOptions) names() string { return strings.Join(o.inventory, ", ") }

// pathsIn gives the inventory's paths relative to dir, where git reads them.
func (o *rehearseOptions) pathsIn(dir string) []string {
	out := make([]string, len(o.inventory))
	for i, p := range o.inventory {
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			rel = p
		}
		out[i] = filepath.ToSlash(rel)
	}
	return out
}

// checkTargets makes sure every cluster and fault names something that
// exists.
func (o *rehearseOptions) checkTargets(inv *inventory.Inventory, opts *rehearse.Options) []string {
	var problems []string
	clusters := map[string]bool{}
	nodes := map[string]bool{}
	for i := range inv.Spec.Clusters {
		c := &inv.Spec.Clusters[i]
		clusters[c.Name] = true
		if spec, err := twin.SpecFor(inv, c); err == nil {
			for _, n := range spec.Nodes {
				nodes[n.Name] = true
			}
		}
	}
	for _, c := range o.clusters {
		if !clusters[c] {
			problems = append(problems, fmt.Sprintf("--cluster %s: no such cluster in %s", c, o.names()))
		}
	}
	for _, n := range o.lostNodes {
		if !nodes[n] {
			problems = append(problems, fmt.Sprintf("--lost-node %s: no such node (nodes are <cluster>-<pool>-<n>: %s)", n, strings.Join(sortedSet(nodes), ", ")))
		}
	}
	for _, p := range o.stuckOps {
		if !slices.Contains(twin.Packages(), p) {
			problems = append(problems, fmt.Sprintf("--stuck-operator %s: not an operator package the rehearsal installs (%s)", p, strings.Join(twin.Packages(), ", ")))
		}
	}
	jobs := map[string]bool{}
	if opts.To.Tree != nil {
		for _, p := range opts.To.Tree.Paths() {
			if base := filepath.Base(p); strings.HasPrefix(base, "job-") {
				jobs[strings.TrimSuffix(strings.TrimPrefix(base, "job-"), ".yaml")] = true
			}
		}
	}
	for _, j := range o.failJobs {
		if !jobs[j] {
			problems = append(problems, fmt.Sprintf("--fail-job %s: no Job of that name is rendered (%s)", j, strings.Join(sortedSet(jobs), ", ")))
		}
	}
	opts.Faults = twin.Faults{FailJob: o.failJobs, StuckOperator: o.stuckOps, LostNode: o.lostNodes}
	return problems
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/lowlat/lowlat/generator/results/pull"
)

type pullOptions struct {
	kubeconfig, context, dir string
	namespaces               []string
}

func newResultsPullCommand() *cobra.Command {
	o := &pullOptions{}
	cmd := &cobra.Command{
		Use:   "pull -o DIR [--kubeconfig FILE] [--context NAME] [-n NAMESPACE...]",
		Short: "Fetch the results of every finished perf run a cluster has, and DIR has not",
		Long: `Pull reads the results ConfigMaps that lowlat's perf runs leave when they finish
(labelled lowlat.dev/results) and writes each run that DIR does not hold yet to
DIR/<cluster>/<pool>/<series>/<run>/: the test's result files and run.json
(cluster, pool, phase, tuning hash, git revision, uuid, start, finish, exit
status, verdict). lowlat results compare --latest DIR and lowlat results
history read that layout. Runs still in progress are skipped; results that
cannot be read are reported and skipped.

The cluster is found as kubectl finds it: --kubeconfig, else $KUBECONFIG,
else ~/.kube/config, at --context or the current context. Reading needs list
on ConfigMaps and Jobs in the perf runs' namespaces.`,
		Example: `  lowlat results pull -o results/
  lowlat results pull --context lab1 -n lowlat-perf -n lowlat-workloads -o results/
  lowlat results compare --latest results/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig `FILE` (default: $KUBECONFIG, else ~/.kube/config)")
	f.StringVar(&o.context, "context", "", "kubeconfig context `NAME` (default: the current context)")
	f.StringSliceVarP(&o.namespaces, "namespace", "n", nil, "look only in this `NAMESPACE` (repeatable; default: every namespace)")
	f.StringVarP(&o.dir, "output", "o", "", "`DIR` to keep the runs in (created when missing)")
	_ = cmd.MarkFlagRequired("output")
	return cmd
}

func (o *pullOptions) run(ctx context.Context, out, errOut io.Writer) error {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = o.kubeconfig
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: o.context}).ClientConfig()
	if err != nil {
		return fmt.Errorf("no cluster to pull from: %w", err)
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	rep, err := pull.Pull(ctx, cs, o.dir, o.namespaces)
	if err != nil {
		return err
	}
	for _, m := range rep.Pulled {
		fmt.Fprintf(out, "pulled %s/%s/%s/%s (%s, exit %d, revision %s)\n", m.Cluster, m.Pool, m.Series, m.Name, m.Finished.Format("2006-01-02 15:04"), m.ExitCode, m.Revision)
	}
	for _, r := range rep.InProgress {
		fmt.Fprintf(errOut, "skipped %s: still running\n", r)
	}
	for _, r := range rep.NoResults {
		fmt.Fprintf(errOut, "skipped %s: finished without results (see its pod's log)\n", r)
	}
	for _, p := range rep.Corrupt {
		fmt.Fprintf(errOut, "skipped %s\n", p)
	}
	fmt.Fprintf(out, "%d run(s) pulled into %s, %d already there, %d in progress, %d unreadable\n",
		len(rep.Pulled), o.dir, rep.Present, len(rep.InProgress), len(rep.Corrupt))
	return nil
}

package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"github.com/lowlat/lowlat/generator/results/compare"
	"github.com/lowlat/lowlat/generator/results/kubeburner"
	"github.com/lowlat/lowlat/generator/results/pull"
)

// exitRegression is the exit code of a check that found a regression, as
// Orion uses it.
const exitRegression = 2

func newResultsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "results",
		Short: "Compare kube-burner results and find regressions across runs",
		Long: `Results reads the files kube-burner's local indexer writes to its metrics
directory (<measurement>QuantilesMeasurement-<job>.json) and either compares a
re-test with a baseline, or looks for change points across many runs.`,
	}
	cmd.AddCommand(newResultsCompareCommand(), newResultsHistoryCommand(), newResultsPullCommand())
	return cmd
}

// percentFlag reads "5%" or "5" into a float64 percentage.
type percentFlag struct{ v *float64 }

func (p percentFlag) String() string { return compare.FormatPercent(*p.v) }
func (p percentFlag) Type() string   { return "percent" }

func (p percentFlag) Set(s string) error {
	v, err := compare.ParsePercent(s)
	if err != nil {
		return err
	}
	*p.v = v
	return nil
}

func checkFormat(format string, allowed ...string) error {
	if slices.Contains(allowed, format) {
		return nil
	}
	return fmt.Errorf("unknown output format %q; use one of %v", format, allowed)
}

type compareOptions struct {
	tolerance  float64
	thresholds string
	output     string
	latest     bool
}

func newResultsCompareCommand() *cobra.Command {
	o := &compareOptions{tolerance: compare.DefaultTolerance, output: compare.FormatText}
	cmd := &cobra.Command{
		Use:   "compare [--latest DIR | BASELINE_DIR RETEST_DIR]",
		Short: "Compare a kube-burner re-test with its baseline, quantile by quantile",
		Long: `Compare matches the latency quantiles of two kube-burner runs by measurement,
job and quantile name and prints baseline, re-test, change and a verdict for
P99, P95, P50, avg and max. Lower latency is better; changes within the
tolerance (and within kube-burner's 1 ms resolution) are the same.

With --latest DIR, a directory lowlat results pull writes, it compares, for
each cluster and pool, the newest kube-burner run with the one before it.

With --thresholds, the command exits 2 when the re-test breaks a limit.`,
		Example: `  lowlat results compare fixtures/kube-burner/baseline fixtures/kube-burner/retest
  lowlat results compare base/ retest/ --thresholds limits.yaml -o markdown > comment.md`,
		Args: func(cmd *cobra.Command, args []string) error {
			if o.latest {
				return cobra.ExactArgs(1)(cmd, args)
			}
			return cobra.ExactArgs(2)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.latest {
				return o.runLatest(cmd.OutOrStdout(), args[0])
			}
			return o.run(cmd.OutOrStdout(), args[0], args[1])
		},
	}
	f := cmd.Flags()
	f.Var(percentFlag{&o.tolerance}, "tolerance", "change, in percent of the baseline, that still counts as the same")
	f.StringVar(&o.thresholds, "thresholds", "", "YAML list of limits: kube-burner thresholds plus measurement, job and maxIncrease")
	f.StringVarP(&o.output, "output", "o", o.output, "output format: text, markdown or json")
	f.BoolVar(&o.latest, "latest", false, "compare the newest run of each pool in the pulled DIR with the one before it")
	return cmd
}

func (o *compareOptions) run(w io.Writer, baselineDir, retestDir string) error {
	if err := checkFormat(o.output, compare.FormatText, compare.FormatMarkdown, compare.FormatJSON); err != nil {
		return err
	}
	baseline, errB := kubeburner.ReadRun(baselineDir)
	retest, errR := kubeburner.ReadRun(retestDir)
	thresholds, errT := o.loadThresholds()
	if err := errors.Join(errB, errR, errT); err != nil {
		return err
	}
	rep, err := compare.Compare(baseline, retest, compare.Options{Tolerance: &o.tolerance, Thresholds: thresholds})
	if err != nil {
		return err
	}
	if err := compare.WriteReport(w, rep, o.output); err != nil {
		return err
	}
	if n := len(rep.Breached()); n > 0 {
		return &ExitError{Code: exitRegression, Err: fmt.Errorf("%d statistic(s) of the re-test broke their thresholds", n)}
	}
	return nil
}

func (o *compareOptions) loadThresholds() ([]compare.Threshold, error) {
	if o.thresholds == "" {
		return nil, nil
	}
	return compare.LoadThresholds(o.thresholds)
}

// runLatest compares, per cluster and pool of a pulled directory, the
// newest kube-burner run with the one before it.
func (o *compareOptions) runLatest(w io.Writer, dir string) error {
	if err := checkFormat(o.output, compare.FormatText, compare.FormatMarkdown, compare.FormatJSON); err != nil {
		return err
	}
	thresholds, err := o.loadThresholds()
	if err != nil {
		return err
	}
	pairs, lone, err := pull.Latest(dir)
	if err != nil {
		return err
	}
	if len(pairs) == 0 {
		return fmt.Errorf("%s holds no pool with two kube-burner runs to compare (pools with one: %v); run lowlat results pull -o %s first", dir, lone, dir)
	}
	var jsonOut []latestJSON
	breached := 0
	for _, p := range pairs {
		before, errB := kubeburner.ReadRun(p.Before.Dir)
		latest, errL := kubeburner.ReadRun(p.Latest.Dir)
		if err := errors.Join(errB, errL); err != nil {
			return err
		}
		rep, err := compare.Compare(before, latest, compare.Options{Tolerance: &o.tolerance, Thresholds: thresholds})
		if err != nil {
			return err
		}
		breached += len(rep.Breached())
		if o.output == compare.FormatJSON {
			var buf bytes.Buffer
			if err := compare.WriteReport(&buf, rep, o.output); err != nil {
				return err
			}
			jsonOut = append(jsonOut, latestJSON{Cluster: p.Cluster, Pool: p.Pool, Before: p.Before, Latest: p.Latest, Report: json.RawMessage(buf.Bytes())})
			continue
		}
		heading := "%s/%s: %s (%s, tuning %s, revision %s) → %s (%s, tuning %s, revision %s)\n\n"
		if o.output == compare.FormatMarkdown {
			heading = "### " + heading
		}
		fmt.Fprintf(w, heading, p.Cluster, p.Pool, p.Before.Name, p.Before.Phase, p.Before.Tuning, short(p.Before.Revision),
			p.Latest.Name, p.Latest.Phase, p.Latest.Tuning, short(p.Latest.Revision))
		if err := compare.WriteReport(w, rep, o.output); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	if o.output == compare.FormatJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(jsonOut); err != nil {
			return err
		}
	}
	if breached > 0 {
		return &ExitError{Code: exitRegression, Err: fmt.Errorf("%d statistic(s) of the newest runs broke their thresholds", breached)}
	}
	return nil
}

// latestJSON is one pool's comparison in --latest -o json.
type latestJSON struct {
	Cluster string          `json:"cluster"`
	Pool    string          `json:"pool"`
	Before  pull.Meta       `json:"before"`
	Latest  pull.Meta       `json:"latest"`
	Report  json.RawMessage `json:"report"`
}

// short is a git revision's first 12 characters.
func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

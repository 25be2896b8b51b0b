package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/lowlat/lowlat/generator/results/changepoint"
	"github.com/lowlat/lowlat/generator/results/history"
)

type historyOptions struct {
	series       []string
	metrics      []string
	pvalue       float64
	window       int
	minChange    float64
	direction    string
	acknowledged string
	output       string
	plot         string
	method       string
	unconfirmed  string
}

func newResultsHistoryCommand() *cobra.Command {
	o := &historyOptions{
		pvalue: changepoint.DefaultMaxPValue, window: changepoint.DefaultWindow,
		minChange: history.DefaultMinChange, direction: string(history.Worse), output: "text",
		method: string(changepoint.Rank), unconfirmed: unconfirmedFail,
	}
	cmd := &cobra.Command{
		Use:   "history [--series FILE.json|.csv] [DIR...]",
		Short: "Find the runs where kube-burner latencies shifted, as Orion does",
		Long: `History orders kube-burner runs (one metrics directory each, plus runs kept in
--series files) by timestamp, then uuid, and runs E-divisive means change-point
detection on every quantile statistic (podLatency/<job>/Ready/P99, ...).

The default --method rank picks splits on the runs' ranks and confirms them
with the Mann-Whitney rank-sum test, which holds on short and heavy-tailed
series, then sorts what it finds: regression or improvement (a sustained
shift), transient (one or a few runs that came back to the level; reported,
never a failure) and unconfirmed (the newest runs moved, too few to tell yet).
--method otava is E-divisive with Otava's t-test, as Hunter and Apache Otava
run it. Orion's filters apply: only worse changes (latency up) unless
--direction both, only changes of at least --min-change, and none
acknowledged in --acknowledged.

It exits 2 when a regression nobody acknowledged is found, or an unconfirmed
move to higher latency unless --unconfirmed report. -o json prints Orion's
per-run shape plus each change's class, which --series reads back, so a CI
job can keep its history in one file.`,
		Example: `  lowlat results history fixtures/kube-burner/history/*
  lowlat results history --series history.json new-run/ -o json > history.next.json
  lowlat results history runs/* --metric 'podLatency/*/Ready/P99' --plot ready.svg
  lowlat results history --series fixtures/results/cpt-case-study.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(cmd.OutOrStdout(), cmd.ErrOrStderr(), args)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.series, "series", nil, "runs saved as JSON (-o json output) or CSV (uuid,timestamp,<metric>...); repeatable")
	f.StringArrayVar(&o.metrics, "metric", nil, "metric name or pattern such as 'podLatency/*/Ready/P99'; repeatable; default all")
	f.Float64Var(&o.pvalue, "pvalue", o.pvalue, "significance a change point must reach")
	f.IntVar(&o.window, "window", o.window, "runs one E-divisive pass sees; bounds the cost")
	f.Var(percentFlag{&o.minChange}, "min-change", "smallest change, in percent of the level before, to report")
	f.StringVar(&o.direction, "direction", o.direction, "worse (latency up) or both")
	f.StringVar(&o.method, "method", o.method, "significance test: rank (Mann-Whitney, with classes) or otava (pooled t-test, as Otava)")
	f.StringVar(&o.unconfirmed, "unconfirmed", o.unconfirmed, "an unconfirmed move of the newest runs to higher latency: fail (exit 2) or report")
	f.StringVar(&o.acknowledged, "acknowledged", "", "YAML file of known change points (ack: [{uuid, metric, reason}])")
	f.StringVarP(&o.output, "output", "o", o.output, "output format: text or json")
	f.StringVar(&o.plot, "plot", "", "also draw every metric with its change points to this SVG file")
	return cmd
}

func (o *historyOptions) run(stdout, stderr io.Writer, dirs []string) error {
	if err := o.validate(); err != nil {
		return err
	}
	if len(dirs) == 0 && len(o.series) == 0 {
		return errors.New("give kube-burner metrics directories, --series files, or both")
	}
	res, err := o.analyze(dirs)
	if err != nil {
		return err
	}
	if err := o.write(stdout, stderr, res); err != nil {
		return err
	}
	if n := len(res.NewRegressions()); n > 0 {
		return &ExitError{Code: exitRegression, Err: fmt.Errorf("%d new regression(s)%s; acknowledge known ones with --acknowledged", n, unconfirmedNote(res))}
	}
	return nil
}

// Values of --unconfirmed.
const (
	unconfirmedFail   = "fail"
	unconfirmedReport = "report"
)

func unconfirmedNote(res history.Result) string {
	n := 0
	for _, p := range res.NewRegressions() {
		if p.Status == history.Unconfirmed {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %d of them unconfirmed (--unconfirmed report to let those pass)", n)
}

func (o *historyOptions) validate() error {
	var errs []error
	if err := checkFormat(o.output, "text", "json"); err != nil {
		errs = append(errs, err)
	}
	if o.unconfirmed != unconfirmedFail && o.unconfirmed != unconfirmedReport {
		errs = append(errs, fmt.Errorf("--unconfirmed %q is neither %s nor %s", o.unconfirmed, unconfirmedFail, unconfirmedReport))
	}
	return errors.Join(errs...)
}

func (o *historyOptions) analyze(dirs []string) (history.Result, error) {
	runs, errRuns := history.Load(dirs, o.series)
	var acks []history.Ack
	var errAcks error
	if o.acknowledged != "" {
		acks, errAcks = history.LoadAcks(o.acknowledged)
	}
	if err := errors.Join(errRuns, errAcks); err != nil {
		return history.Result{}, err
	}
	return history.Analyze(runs, history.Options{
		Metrics:         o.metrics,
		Detector:        changepoint.Options{Window: o.window, MaxPValue: o.pvalue, Method: changepoint.Method(o.method)},
		MinChange:       o.minChange,
		Direction:       history.Direction(o.direction),
		Acks:            acks,
		PassUnconfirmed: o.unconfirmed == unconfirmedReport,
	})
}

// write prints the result; with JSON on stdout the summary goes to stderr
// so stdout stays one JSON document.
func (o *historyOptions) write(stdout, stderr io.Writer, res history.Result) error {
	var err error
	if o.output == "json" {
		err = history.WriteJSON(stdout, res)
		fmt.Fprintln(stderr, history.Summary(res))
	} else {
		err = history.WriteText(stdout, res)
	}
	if err != nil || o.plot == "" {
		return err
	}
	return writePlot(o.plot, res)
}

func writePlot(path string, res history.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	if err := history.WriteSVG(f, res); err != nil {
		f.Close()
		return fmt.Errorf("plot %s: %w", path, err)
	}
	return f.Close()
}

package history

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/lowlat/lowlat/generator/results/changepoint"
)

// jsonRun is one run in Orion's JSON output shape.
type jsonRun struct {
	UUID          string                `json:"uuid"`
	Timestamp     string                `json:"timestamp"`
	Metrics       map[string]jsonMetric `json:"metrics"`
	IsChangepoint bool                  `json:"is_changepoint"`
}

// jsonMetric carries a run's value and, at a reported change point, the
// change from the level before in percent (0 elsewhere, as in Orion; null
// when the level before was 0 and the change has no percentage) and its
// class, the one field Orion does not have.
type jsonMetric struct {
	Value            float64  `json:"value"`
	PercentageChange *float64 `json:"percentage_change"`
	Class            Status   `json:"class,omitempty"`
}

// WriteJSON prints one object per run in time order. Metric keys are sorted
// by encoding/json.
func WriteJSON(w io.Writer, res Result) error {
	out := make([]jsonRun, len(res.Runs))
	for i, r := range res.Runs {
		out[i] = jsonRun{UUID: r.UUID, Timestamp: stamp(r.Timestamp), Metrics: map[string]jsonMetric{}}
		for _, m := range res.Metrics {
			if v, ok := r.Values[m]; ok {
				out[i].Metrics[m] = jsonMetric{Value: v, PercentageChange: new(float64)}
			}
		}
	}
	for _, p := range res.Points {
		if p.Status == Acknowledged {
			continue // Orion drops acknowledged points from its output
		}
		m := out[p.Run].Metrics[p.Metric]
		m.PercentageChange, m.Class = percent(p), p.Status
		out[p.Run].Metrics[p.Metric] = m
		// A transient run left its level and came back: no change point.
		out[p.Run].IsChangepoint = out[p.Run].IsChangepoint || p.Status != Transient
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func percent(p Point) *float64 {
	pct, ok := p.PercentChange()
	if !ok {
		return nil
	}
	pct = math.Round(pct*100) / 100
	return &pct
}

// WriteText prints the reported change points as a table, then Summary.
func WriteText(w io.Writer, res Result) error {
	fmt.Fprintln(w, header(res))
	if note := shortNote(res); note != "" {
		fmt.Fprintln(w, note)
	}
	if len(res.Points) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "RUN\tTIMESTAMP\tUUID\tMETRIC\tBEFORE\tAFTER\tCHANGE\tRUNS\tP-VALUE\tSTATUS")
		for _, p := range res.Points {
			r := res.Runs[p.Run]
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", p.Run, stamp(r.Timestamp), r.UUID, p.Metric,
				num(p.MeanBefore), num(p.MeanAfter), change(p), p.Runs, pvalue(p.PValue), p.Status)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "\n%s\n", Summary(res))
	return err
}

func header(res Result) string {
	span := "no runs"
	if n := len(res.Runs); n > 0 {
		span = fmt.Sprintf("%d runs from %s to %s", n, stamp(res.Runs[0].Timestamp), stamp(res.Runs[n-1].Timestamp))
	}
	o := res.Options
	return fmt.Sprintf("%s, %d metrics; method %s, window %d, p ≤ %g, min change %g%%, direction %s",
		span, len(res.Metrics), o.Detector.Method, o.Detector.Window, o.Detector.MaxPValue, o.MinChange, o.Direction)
}

// shortNote says when the history is too short for any shift to be
// confirmed, so every one found is reported unconfirmed.
func shortNote(res Result) string {
	d := res.Options.Detector
	need := changepoint.MinConfirmRuns(d.Method, d.MaxPValue)
	if len(res.Runs) >= need {
		return ""
	}
	return fmt.Sprintf("%s are too few for the %s test to confirm a shift at p ≤ %g (it needs %d); shifts are reported unconfirmed.",
		plural(len(res.Runs), "run"), d.Method, d.MaxPValue, need)
}

// Summary is a one-line verdict on the history.
func Summary(res Result) string {
	counts := map[Status]int{}
	for _, p := range res.Points {
		counts[p.Status]++
	}
	if len(res.Points) == 0 {
		return "no change points."
	}
	s := fmt.Sprintf("%s: %s, %d acknowledged", plural(len(res.Points), "change point"), plural(counts[Regression], "new regression"), counts[Acknowledged])
	if res.Options.Direction == Both {
		s += ", " + plural(counts[Improvement], "improvement")
	}
	for _, c := range []Status{Transient, Unconfirmed} {
		if counts[c] > 0 {
			s += fmt.Sprintf(", %d %s", counts[c], c)
		}
	}
	return s + "."
}

// pvalue prints a p-value; transients and unconfirmed moves found by level
// had no test and print "-".
func pvalue(p float64) string {
	if math.IsNaN(p) {
		return "-"
	}
	return fmt.Sprintf("%.2g", p)
}

func change(p Point) string {
	if pct, ok := p.PercentChange(); ok {
		return fmt.Sprintf("%+.1f%%", pct)
	}
	return "from 0"
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

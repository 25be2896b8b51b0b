package compare

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Formats WriteReport renders.
const (
	FormatText     = "text"
	FormatMarkdown = "markdown"
	FormatJSON     = "json"
)

// WriteReport renders rep in format (text, markdown or json).
func WriteReport(w io.Writer, rep Report, format string) error {
	switch format {
	case FormatText:
		return writeText(w, rep)
	case FormatMarkdown:
		return writeMarkdown(w, rep)
	case FormatJSON:
		return writeJSON(w, rep)
	}
	return fmt.Errorf("unknown output format %q; use text, markdown or json", format)
}

func writeText(w io.Writer, rep Report) error {
	fmt.Fprintf(w, "baseline   %s  %s\n", rep.Baseline.UUID, stamp(rep.Baseline.Timestamp))
	fmt.Fprintf(w, "re-test    %s  %s\n", rep.Retest.UUID, stamp(rep.Retest.Timestamp))
	fmt.Fprintf(w, "tolerance  %s (never finer than kube-burner's %g ms resolution)\n\n", FormatPercent(rep.Tolerance), Resolution)
	if err := rowsTable(rep, textHeader).writeText(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s\n", summary(rep))
	return writeBreaches(w, rep, "  ")
}

// writeMarkdown puts what a reviewer must read first: the summary, the
// breaches and the rows that got worse; the full table folds away.
func writeMarkdown(w io.Writer, rep Report) error {
	fmt.Fprintf(w, "#### kube-burner: re-test vs baseline\n\n")
	fmt.Fprintf(w, "Baseline `%s` (%s), re-test `%s` (%s); changes within %s (or %g ms) count as the same.\n\n",
		rep.Baseline.UUID, stamp(rep.Baseline.Timestamp), rep.Retest.UUID, stamp(rep.Retest.Timestamp), FormatPercent(rep.Tolerance), Resolution)
	fmt.Fprintf(w, "**%s**\n\n", summary(rep))
	if err := writeBreaches(w, rep, "- "); err != nil {
		return err
	}
	if worse := rep.filter(Worse, Missing); len(worse.Rows) > 0 {
		fmt.Fprintln(w)
		if err := rowsTable(worse, markdownHeader).writeMarkdown(w); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\n<details><summary>All %d statistics</summary>\n\n", len(rep.Rows))
	if err := rowsTable(rep, markdownHeader).writeMarkdown(w); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\n</details>")
	return err
}

// filter keeps the rows with one of the verdicts.
func (rep Report) filter(verdicts ...Verdict) Report {
	out := rep
	out.Rows = nil
	for _, r := range rep.Rows {
		for _, v := range verdicts {
			if r.Verdict == v {
				out.Rows = append(out.Rows, r)
			}
		}
	}
	return out
}

var (
	textHeader     = []string{"MEASUREMENT", "JOB", "QUANTILE", "STAT", "BASELINE ms", "RE-TEST ms", "CHANGE ms", "CHANGE", "VERDICT", "LIMIT"}
	markdownHeader = []string{"Measurement", "Job", "Quantile", "Stat", "Baseline (ms)", "Re-test (ms)", "Change (ms)", "Change", "Verdict", "Limit"}
)

// rowsTable lays the rows out under header; the limit column appears only
// when thresholds were given.
func rowsTable(rep Report, header []string) table {
	t := table{header: header, right: []bool{false, false, false, false, true, true, true, true, false, false}}
	if !rep.HasLimits {
		t.header, t.right = header[:len(header)-1], t.right[:len(header)-1]
	}
	for _, r := range rep.Rows {
		ms, pct, ok := r.Change()
		cells := []string{r.Measurement, r.Job, r.Quantile, string(r.Stat),
			valueCell(r.Baseline, r.HasBaseline), valueCell(r.Retest, r.HasRetest),
			changeCell(ms, r.HasBaseline && r.HasRetest), percentCell(pct, ok), string(r.Verdict)}
		if rep.HasLimits {
			cells = append(cells, limitCell(r))
		}
		t.rows = append(t.rows, cells)
	}
	return t
}

func limitCell(r Row) string {
	var parts []string
	for _, t := range r.Limits {
		parts = append(parts, t.String())
	}
	s := strings.Join(parts, "; ")
	if len(r.Breaches) > 0 {
		s += " BREACHED"
	}
	return s
}

func summary(rep Report) string {
	parts := []string{
		fmt.Sprintf("%d better", rep.Count(Better)),
		fmt.Sprintf("%d worse", rep.Count(Worse)),
		fmt.Sprintf("%d same", rep.Count(Same)),
	}
	if n := rep.Count(Missing); n > 0 {
		parts = append(parts, fmt.Sprintf("%d missing from the re-test", n))
	}
	if n := rep.Count(Added); n > 0 {
		parts = append(parts, fmt.Sprintf("%d new in the re-test", n))
	}
	s := strings.Join(parts, ", ") + "."
	if rep.HasLimits {
		s += fmt.Sprintf(" %d of %d limited statistics breached.", len(rep.Breached()), limited(rep))
	}
	return s
}

func limited(rep Report) int {
	n := 0
	for _, r := range rep.Rows {
		if len(r.Limits) > 0 {
			n++
		}
	}
	return n
}

func writeBreaches(w io.Writer, rep Report, bullet string) error {
	for _, r := range rep.Breached() {
		if _, err := fmt.Fprintf(w, "%s%s %s %s %s: %s\n", bullet, r.Measurement, r.Job, r.Quantile, r.Stat, strings.Join(r.Breaches, "; ")); err != nil {
			return err
		}
	}
	return nil
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func valueCell(v float64, ok bool) string {
	if !ok {
		return "-"
	}
	return formatMS(v)
}

func changeCell(ms float64, ok bool) string {
	if !ok {
		return "-"
	}
	if ms > 0 {
		return "+" + formatMS(ms)
	}
	return formatMS(ms)
}

func percentCell(pct float64, ok bool) string {
	if !ok {
		return "n/a"
	}
	return fmt.Sprintf("%+.1f%%", pct)
}

// formatMS prints whole milliseconds as integers and anything finer (older
// kube-burner releases wrote avg as a float) to 0.1 ms.
func formatMS(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// jsonReport is the stable JSON shape of a Report.
type jsonReport struct {
	Baseline  jsonRun   `json:"baseline"`
	Retest    jsonRun   `json:"retest"`
	Tolerance float64   `json:"tolerance_percent"`
	Rows      []jsonRow `json:"rows"`
	Summary   jsonSum   `json:"summary"`
}

type jsonRun struct {
	UUID      string `json:"uuid"`
	Timestamp string `json:"timestamp"`
}

type jsonRow struct {
	Measurement string   `json:"measurement"`
	Job         string   `json:"job"`
	Quantile    string   `json:"quantile"`
	Stat        string   `json:"stat"`
	Baseline    *float64 `json:"baseline_ms"`
	Retest      *float64 `json:"retest_ms"`
	ChangeMS    *float64 `json:"change_ms"`
	ChangePct   *float64 `json:"change_percent"`
	Verdict     string   `json:"verdict"`
	Limits      []string `json:"limits,omitempty"`
	Breaches    []string `json:"breaches,omitempty"`
}

type jsonSum struct {
	Better   int `json:"better"`
	Worse    int `json:"worse"`
	Same     int `json:"same"`
	Missing  int `json:"missing"`
	New      int `json:"new"`
	Breached int `json:"breached"`
}

func writeJSON(w io.Writer, rep Report) error {
	out := jsonReport{
		Baseline:  jsonRun{rep.Baseline.UUID, stamp(rep.Baseline.Timestamp)},
		Retest:    jsonRun{rep.Retest.UUID, stamp(rep.Retest.Timestamp)},
		Tolerance: rep.Tolerance,
		Rows:      []jsonRow{},
		Summary: jsonSum{Better: rep.Count(Better), Worse: rep.Count(Worse), Same: rep.Count(Same),
			Missing: rep.Count(Missing), New: rep.Count(Added), Breached: len(rep.Breached())},
	}
	for _, r := range rep.Rows {
		out.Rows = append(out.Rows, toJSONRow(r))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func toJSONRow(r Row) jsonRow {
	j := jsonRow{Measurement: r.Measurement, Job: r.Job, Quantile: r.Quantile, Stat: string(r.Stat),
		Verdict: string(r.Verdict), Breaches: r.Breaches}
	if r.HasBaseline {
		j.Baseline = ptr(r.Baseline)
	}
	if r.HasRetest {
		j.Retest = ptr(r.Retest)
	}
	ms, pct, ok := r.Change()
	if r.HasBaseline && r.HasRetest {
		j.ChangeMS = ptr(ms)
	}
	if ok {
		j.ChangePct = ptr(math.Round(pct*100) / 100)
	}
	for _, t := range r.Limits {
		j.Limits = append(j.Limits, t.String())
	}
	return j
}

func ptr(v float64) *float64 { return &v }

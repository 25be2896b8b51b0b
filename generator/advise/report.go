package advise

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Formats of a report.
var Formats = []string{"text", "markdown", "json"}

// Write prints the advice in a format: text, markdown or json.
func Write(w io.Writer, format string, advice []Advice) error {
	switch format {
	case "text":
		return writeText(w, advice)
	case "markdown":
		return writeMarkdown(w, advice)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(advice)
	}
	return fmt.Errorf("unknown format %q; one of %s", format, strings.Join(Formats, ", "))
}

func heading(a Advice) string {
	return fmt.Sprintf("%s %s (cluster %s): %s on pool %s", a.Kind, a.Name, a.Cluster, a.Platform, a.Pool)
}

func writeText(w io.Writer, advice []Advice) error {
	for i, a := range advice {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, heading(a))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  attribute\tlevel\tdecision\tsource\treason")
		for _, r := range a.Reasons {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", r.Attribute, orDash(r.Level), r.Decision, r.Source, r.Reason)
		}
		fmt.Fprintln(tw, "  knob\t\tvalue\tsource\treason")
		for _, k := range a.Knobs {
			fmt.Fprintf(tw, "  %s\t\t%s\t%s\t%s%s\n", k.Name, k.Value, k.Source, k.Reason, advisory(k))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func writeMarkdown(w io.Writer, advice []Advice) error {
	for i, a := range advice {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "### %s\n\n", heading(a))
		fmt.Fprintln(w, "| attribute | level | decision | source | reason |")
		fmt.Fprintln(w, "| --- | --- | --- | --- | --- |")
		for _, r := range a.Reasons {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", r.Attribute, orDash(r.Level), cell(r.Decision), r.Source, cell(r.Reason))
		}
		fmt.Fprintln(w, "\n| knob | value | source | reason |")
		fmt.Fprintln(w, "| --- | --- | --- | --- |")
		for _, k := range a.Knobs {
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", k.Name, cell(k.Value), k.Source, cell(k.Reason+advisory(k)))
		}
	}
	return nil
}

// advisory marks a knob lowlat does not render.
func advisory(k Knob) string {
	if k.Rendered {
		return ""
	}
	return " (advice: not rendered)"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

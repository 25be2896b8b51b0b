package review

import (
	"fmt"
	"io"
	"strings"
)

// ANSI colours for a terminal.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// Text writes the report for a terminal: a summary line, the warnings, then
// each cluster's Applications with their resources and field changes. With
// color, additions are green, removals red, changes yellow.
func Text(w io.Writer, r *Report, color bool) error {
	p := &textPrinter{color: color}
	p.printf("", "lowlat diff %s → %s: %s\n", sideText(r.Base), sideText(r.Head), summaryText(r.Summary))
	if len(r.Warnings) > 0 {
		p.printf("", "\nConsequences:\n")
		for i := range r.Warnings {
			wn := &r.Warnings[i]
			p.printf(ansiBold+ansiRed, "  ! %s:", wn.Title())
			p.printf("", " %s: %s\n", wn.Subject(), wn.Detail())
		}
	}
	for _, c := range r.Clusters {
		p.printf(ansiBold, "\n%s\n", clusterTitle(c))
		for _, a := range c.Applications {
			p.printf(ansiCyan, "  %s\n", a.Name)
			for i := range a.Resources {
				p.resource(&a.Resources[i])
			}
		}
	}
	if len(r.Notes) > 0 {
		p.printf("", "\n")
		for _, n := range r.Notes {
			p.printf("", "note: %s\n", n)
		}
	}
	_, err := io.WriteString(w, p.b.String())
	return err
}

type textPrinter struct {
	b     strings.Builder
	color bool
}

// printf writes one formatted piece, in colour when asked and enabled.
func (p *textPrinter) printf(colour, format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	if !p.color || colour == "" {
		p.b.WriteString(s)
		return
	}
	// Keep the newline outside the colour so a pager resets on each line.
	body, nl := strings.CutSuffix(s, "\n")
	p.b.WriteString(colour + body + ansiReset)
	if nl {
		p.b.WriteString("\n")
	}
}

func (p *textPrinter) resource(d *ResourceDiff) {
	p.printf(changeColour(d.Change), "    %s %s\n", changeSign(d.Change), resourceTitle(d))
	for i := range d.Fields {
		p.field(&d.Fields[i])
	}
}

func (p *textPrinter) field(f *FieldChange) {
	const indent = "        "
	switch {
	case isText(f):
		p.printf(ansiYellow, "%s~ %s:\n", indent, f.Path)
		for _, l := range lineDiff(f.Old.(string), f.New.(string)) {
			p.printf(lineColour(l), "%s    %s\n", indent, l)
		}
	case f.Change == Changed:
		p.printf(ansiYellow, "%s~ %s: %s → %s\n", indent, f.Path, formatOrNone(f.Old), formatOrNone(f.New))
	case f.Change == Added:
		p.printf(ansiGreen, "%s+ %s%s\n", indent, f.Path, itemValue(f))
	default:
		p.printf(ansiRed, "%s- %s%s\n", indent, f.Path, itemValue(f))
	}
}

func lineColour(l string) string {
	switch {
	case strings.HasPrefix(l, "+"):
		return ansiGreen
	case strings.HasPrefix(l, "-"):
		return ansiRed
	}
	return ""
}

func changeColour(c Change) string {
	switch c {
	case Added:
		return ansiGreen
	case Removed:
		return ansiRed
	}
	return ansiYellow
}

func changeSign(c Change) string {
	switch c {
	case Added:
		return "+"
	case Removed:
		return "-"
	}
	return "~"
}

// resourceTitle names a resource with what a reviewer must know about it.
func resourceTitle(d *ResourceDiff) string {
	s := d.Identity().String()
	if d.MovedFrom != "" {
		s += " (moved from Application " + d.MovedFrom + ")"
	}
	if d.KeptOnCluster {
		s += " (Prune=false: stays on the cluster)"
	}
	return s
}

func clusterTitle(c ClusterDiff) string {
	if c.Shared {
		return "shared (base/, every cluster)"
	}
	return c.Name
}

func sideText(s SideInfo) string {
	if s.Revision == "" {
		return s.Label
	}
	return s.Label + " (" + shortRevision(s.Revision) + ")"
}

func shortRevision(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// summaryText is "2 added, 1 changed in 2 Applications" or "no changes".
func summaryText(s Summary) string {
	if s.Empty() {
		return "no changes"
	}
	var parts []string
	for _, c := range []struct {
		n    int
		what string
	}{{s.Added, "added"}, {s.Removed, "removed"}, {s.Changed, "changed"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	var where []string
	if s.Applications > 0 || s.EntryPoints == 0 {
		where = append(where, plural(s.Applications, "Application"))
	}
	if s.EntryPoints > 0 {
		where = append(where, plural(s.EntryPoints, "entry point"))
	}
	return strings.Join(parts, ", ") + " in " + strings.Join(where, " and ")
}

func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

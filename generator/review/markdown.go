package review

import (
	"fmt"
	"io"
	"strings"
)

// MarkdownMarker starts every Markdown report, so that a CI job can find the
// comment it posted before and update it instead of adding another.
const MarkdownMarker = "<!-- lowlat-diff -->"

// collapseAfter is the number of diff lines above which an Application's
// section is folded into <details>.
const collapseAfter = 15

// GitHubCommentLimit is the largest comment GitHub accepts, in characters.
const GitHubCommentLimit = 65536

// Markdown writes the report as a pull-request comment: the warnings first,
// then a section per cluster and Application, long ones collapsed. When
// limit is positive, Application sections that would take the comment past
// limit bytes are left out and counted instead; the warnings always stay.
func Markdown(w io.Writer, r *Report, limit int) error {
	var b strings.Builder
	b.WriteString(markdownHead(r))
	sections := markdownSections(r)
	tail := markdownNotes(r)
	omitted := 0
	for _, s := range sections {
		if limit > 0 && b.Len()+len(s)+len(tail)+len(omittedLine(1)) > limit {
			omitted++
			continue
		}
		b.WriteString(s)
	}
	if omitted > 0 {
		b.WriteString(omittedLine(omitted))
	}
	b.WriteString(tail)
	_, err := io.WriteString(w, b.String())
	return err
}

func markdownHead(r *Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n### Rendered manifests\n\n%s → %s: ", MarkdownMarker, mdSide(r.Base), mdSide(r.Head))
	if r.Summary.Empty() {
		b.WriteString("no changes to the rendered manifests.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "**%s**.\n", summaryText(r.Summary))
	if len(r.Warnings) > 0 {
		b.WriteString("\n> [!WARNING]\n> Consequences on the clusters:\n")
		for i := range r.Warnings {
			b.WriteString("> - " + mdWarning(&r.Warnings[i]) + "\n")
		}
	}
	return b.String()
}

func mdWarning(w *Warning) string {
	if w.Kind == WarnCPUs {
		return fmt.Sprintf("**%s**: %s: %s → %s", w.Title(), mdEscape(w.Subject()), mdCode(orNone(w.Old)), mdCode(orNone(w.New)))
	}
	return fmt.Sprintf("**%s**: %s: %s", w.Title(), mdEscape(w.Subject()), mdEscape(w.Detail()))
}

func mdSide(s SideInfo) string {
	if s.Revision == "" {
		return mdCode(s.Label)
	}
	return mdCode(s.Label) + " (" + shortRevision(s.Revision) + ")"
}

// markdownSections renders one section per Application; the first of a
// cluster carries the cluster's heading.
func markdownSections(r *Report) []string {
	var out []string
	for _, c := range r.Clusters {
		for i, a := range c.Applications {
			var b strings.Builder
			if i == 0 {
				fmt.Fprintf(&b, "\n#### %s\n", mdEscape(clusterTitle(c)))
			}
			b.WriteString(mdApp(a))
			out = append(out, b.String())
		}
	}
	return out
}

func mdApp(a AppDiff) string {
	lines := diffLines(a.Resources)
	block := codeBlock("diff", lines)
	title := fmt.Sprintf("<b>%s</b>: %s", htmlEscape(a.Name), appSummary(a))
	if len(lines) > collapseAfter {
		return fmt.Sprintf("\n<details><summary>%s</summary>\n\n%s\n</details>\n", title, block)
	}
	return fmt.Sprintf("\n**%s**: %s\n\n%s", mdEscape(a.Name), appSummary(a), block)
}

func appSummary(a AppDiff) string {
	var s Summary
	for _, d := range a.Resources {
		countChange(&s, d.Change)
	}
	s.Applications = 1
	return strings.TrimSuffix(summaryText(s), " in 1 Application")
}

// diffLines renders resources as the lines of a `diff` code block: added
// and removed resources as + and - lines, a changed one as an @@ header
// followed by its fields, old values as - lines and new ones as + lines.
func diffLines(resources []ResourceDiff) []string {
	var out []string
	for i := range resources {
		d := &resources[i]
		if d.Change != Changed {
			out = append(out, changeSign(d.Change)+" "+resourceTitle(d))
			continue
		}
		out = append(out, "@@ "+resourceTitle(d)+" @@")
		for j := range d.Fields {
			out = append(out, fieldLines(&d.Fields[j])...)
		}
	}
	return out
}

func fieldLines(f *FieldChange) []string {
	switch {
	case isText(f):
		out := []string{"    " + f.Path + ":"}
		for _, l := range lineDiff(f.Old.(string), f.New.(string)) {
			out = append(out, l[:1]+"       "+l[2:])
		}
		return out
	case f.Change == Changed:
		return []string{"-   " + f.Path + ": " + formatOrNone(f.Old), "+   " + f.Path + ": " + formatOrNone(f.New)}
	case f.Change == Added:
		return []string{"+   " + f.Path + itemValue(f)}
	}
	return []string{"-   " + f.Path + itemValue(f)}
}

// codeBlock fences lines with more backticks than any line holds.
func codeBlock(lang string, lines []string) string {
	fence := "```"
	for _, l := range lines {
		for strings.Contains(l, fence) {
			fence += "`"
		}
	}
	return fence + lang + "\n" + strings.Join(lines, "\n") + "\n" + fence + "\n"
}

func markdownNotes(r *Report) string {
	if len(r.Notes) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n")
	for _, n := range r.Notes {
		b.WriteString("_Note: " + mdEscape(n) + "_\n")
	}
	return b.String()
}

func omittedLine(n int) string {
	return fmt.Sprintf("\n_%s not shown: the comment would exceed its size limit. Run `make diff` to see the whole diff._\n", plural(n, "more Application section"))
}

// mdEscape keeps names and selectors from being read as Markdown or HTML.
func mdEscape(s string) string {
	return markdownEscaper.Replace(s)
}

var markdownEscaper = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "<", "&lt;", ">", "&gt;", "|", `\|`)

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// mdCode is an inline code span that survives backticks in s.
func mdCode(s string) string {
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

package review

import (
	"strings"

	"github.com/lowlat/lowlat/generator/textdiff"
)

// lineContext is how many unchanged lines surround a change in a text diff.
const lineContext = 1

// isText reports whether a change is best shown line by line: both sides
// are strings and one spans lines (a ConfigMap's file, cloud-init data).
func isText(f *FieldChange) bool {
	o, ok1 := f.Old.(string)
	n, ok2 := f.New.(string)
	return f.Change == Changed && ok1 && ok2 && (strings.Contains(o, "\n") || strings.Contains(n, "\n"))
}

// lineDiff returns the lines of a diff from old to cur (textdiff.Lines).
func lineDiff(old, cur string) []string { return textdiff.Lines(old, cur, lineContext) }

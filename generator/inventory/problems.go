package inventory

import (
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Problem is one thing wrong with an inventory, located by field path and line.
type Problem struct {
	// File is set where the problem is not in the file it is reported
	// with: the warnings of a fleet merged from several files.
	File    string
	Line    int    // 1-based line in the inventory file; 0 when unknown
	Path    string // field path, e.g. spec.clusters[0].name
	Message string
	// Code names a warning's kind (WarningCodes); empty for an error.
	Code string `json:",omitempty"`
	// Acknowledged: the warning's cluster lists its code in
	// acknowledgedWarnings, so it is counted rather than printed.
	Acknowledged bool `json:",omitempty"`
}

// Error lists every problem found in one inventory file.
type Error struct {
	File     string
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem(s):", e.File, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String(e.File))
	}
	return b.String()
}

// String formats the problem as file:line: path: message.
func (p Problem) String(file string) string {
	if p.File != "" {
		file = p.File
	}
	loc := file
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", file, p.Line)
	}
	if p.Path == "" {
		return loc + ": " + p.Message
	}
	return fmt.Sprintf("%s: %s: %s", loc, p.Path, p.Message)
}

// rootPath is how field.Path prints the document itself (a nil path).
const rootPath = "<nil>"

// lineIndex maps field paths to the line where their value starts.
type lineIndex map[string]int

// lineOf finds the line of path or, failing that, of its nearest ancestor, so
// a problem with a defaulted field still points at the object that lacks it.
func (l lineIndex) lineOf(path string) int {
	for p := path; p != ""; p = parentPath(p) {
		if n, ok := l[p]; ok {
			return n
		}
	}
	return 0
}

func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// toProblems locates field errors and sorts them by line, then path, so output
// reads top to bottom like the file.
func toProblems(errs field.ErrorList, lines lineIndex) []Problem {
	out := make([]Problem, 0, len(errs))
	for _, e := range errs {
		path := e.Field
		if path == rootPath {
			path = ""
		}
		out = append(out, Problem{Line: lines.lineOf(e.Field), Path: path, Message: e.ErrorBody()})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Path < out[j].Path
	})
	return out
}

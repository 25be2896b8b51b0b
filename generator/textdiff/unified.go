package textdiff

import (
	"fmt"
	"strings"
)

// noNewline is how diff(1) and git mark a last line without a newline.
const noNewline = `\ No newline at end of file`

// Unified returns the unified diff from old to cur as git prints it:
// "--- oldName" and "+++ newName", then hunks headed "@@ -l,n +l,n @@" with
// context unchanged lines around each change. Equal texts give "".
func Unified(oldName, newName, old, cur string, context int) string {
	ops := ops(terminatedLines(old), terminatedLines(cur))
	hunks := hunks(ops, context)
	if len(hunks) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks {
		h.write(&b, ops)
	}
	return b.String()
}

// terminatedLines splits text into lines that keep their "\n", so that a
// last line without one differs from the same line with one.
func terminatedLines(text string) []string {
	if text == "" {
		return nil
	}
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// hunk is ops[from:to], which starts at line oldStart of the old text and
// newStart of the new one (0-based).
type hunk struct {
	from, to           int
	oldStart, newStart int
}

// hunks groups the changes of ops with context lines around each; changes
// closer than twice the context share a hunk.
func hunks(ops []string, context int) []hunk {
	var out []hunk
	oldLine, newLine := 0, 0
	for i := 0; i < len(ops); {
		if ops[i][0] == ' ' {
			oldLine, newLine, i = oldLine+1, newLine+1, i+1
			continue
		}
		from := max(0, i-context)
		h := hunk{from: from, oldStart: oldLine - (i - from), newStart: newLine - (i - from)}
		end := lastChange(ops, i, context)
		for ; i <= end; i++ {
			oldLine, newLine = advance(ops[i][0], oldLine, newLine)
		}
		h.to = min(len(ops), end+1+context)
		for ; i < h.to; i++ {
			oldLine, newLine = oldLine+1, newLine+1
		}
		out = append(out, h)
	}
	return out
}

// lastChange is the last change of the run of changes starting at i whose
// gaps of unchanged lines are at most twice context.
func lastChange(ops []string, i, context int) int {
	last := i
	for j := i; j < len(ops); j++ {
		if ops[j][0] != ' ' {
			last = j
		} else if j-last > 2*context {
			break
		}
	}
	return last
}

func advance(op byte, oldLine, newLine int) (int, int) {
	switch op {
	case '-':
		return oldLine + 1, newLine
	case '+':
		return oldLine, newLine + 1
	}
	return oldLine + 1, newLine + 1
}

func (h hunk) write(b *strings.Builder, ops []string) {
	oldCount, newCount := 0, 0
	for _, op := range ops[h.from:h.to] {
		o, n := advance(op[0], 0, 0)
		oldCount, newCount = oldCount+o, newCount+n
	}
	fmt.Fprintf(b, "@@ -%s +%s @@\n", span(h.oldStart, oldCount), span(h.newStart, newCount))
	for _, op := range ops[h.from:h.to] {
		line, terminated := strings.CutSuffix(op[2:], "\n")
		b.WriteString(op[:1] + line + "\n")
		if !terminated {
			b.WriteString(noNewline + "\n")
		}
	}
}

// span formats a hunk's range as diff(1) does: "start,count", "start" for
// one line, and the line before an empty range.
func span(start, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, count)
}

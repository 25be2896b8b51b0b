// Package textdiff is lowlat's one line diff: the unified diff `lowlat
// check` shows, as git does, for a file that differs from a fresh render,
// and what `lowlat diff` shows for a multi-line string field. It links nothing, so that the KRM
// function, which links the packages that use it, stays small.
package textdiff

import "strings"

// maxCells bounds the longest-common-subsequence table; longer texts are
// shown as all old lines then all new ones.
const maxCells = 1 << 22

// Lines returns the lines of a diff from old to cur, each prefixed with
// "- ", "+ " or "  ", keeping context unchanged lines around each change
// and showing longer unchanged runs as "  …". A final newline both texts
// end with is not a line of its own.
func Lines(old, cur string, context int) []string {
	if strings.HasSuffix(old, "\n") && strings.HasSuffix(cur, "\n") {
		old, cur = old[:len(old)-1], cur[:len(cur)-1]
	}
	ops := ops(strings.Split(old, "\n"), strings.Split(cur, "\n"))
	var out []string
	skipped := false
	for i, op := range ops {
		if op[0] == ' ' && !nearChange(ops, i, context) {
			skipped = true
			continue
		}
		if skipped {
			out = append(out, "  …")
			skipped = false
		}
		out = append(out, op)
	}
	if skipped {
		out = append(out, "  …")
	}
	return out
}

func nearChange(ops []string, i, context int) bool {
	for j := max(0, i-context); j <= min(len(ops)-1, i+context); j++ {
		if ops[j][0] != ' ' {
			return true
		}
	}
	return false
}

// ops is a longest-common-subsequence line diff of a and b.
func ops(a, b []string) []string {
	if len(a)*len(b) > maxCells {
		return append(prefixed("- ", a), prefixed("+ ", b)...)
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, "  "+a[i])
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] > lcs[i+1][j]):
			out = append(out, "+ "+b[j])
			j++
		default:
			out = append(out, "- "+a[i])
			i++
		}
	}
	return out
}

func prefixed(p string, lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = p + l
	}
	return out
}

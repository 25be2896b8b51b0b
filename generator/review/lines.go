package review

import "strings"

// maxLineDiffCells bounds the LCS table of a text diff; longer texts are
// shown as all old lines then all new ones.
const maxLineDiffCells = 1 << 22

// lineContext is how many unchanged lines surround a change in a text diff.
const lineContext = 1

// isText reports whether a change is best shown line by line: both sides
// are strings and one spans lines (a ConfigMap's file, cloud-init data).
func isText(f *FieldChange) bool {
	o, ok1 := f.Old.(string)
	n, ok2 := f.New.(string)
	return f.Change == Changed && ok1 && ok2 && (strings.Contains(o, "\n") || strings.Contains(n, "\n"))
}

// lineDiff returns the lines of a diff from old to cur, each prefixed with
// "- ", "+ " or "  ", with unchanged runs beyond lineContext shown as "…".
func lineDiff(old, cur string) []string {
	if strings.HasSuffix(old, "\n") && strings.HasSuffix(cur, "\n") {
		old, cur = old[:len(old)-1], cur[:len(cur)-1] // not a line of its own
	}
	a, b := strings.Split(old, "\n"), strings.Split(cur, "\n")
	ops := diffOps(a, b)
	var out []string
	skipped := false
	for i, op := range ops {
		if op[0] == ' ' && !nearChange(ops, i) {
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

func nearChange(ops []string, i int) bool {
	for j := max(0, i-lineContext); j <= min(len(ops)-1, i+lineContext); j++ {
		if ops[j][0] != ' ' {
			return true
		}
	}
	return false
}

// diffOps is a longest-common-subsequence line diff.
func diffOps(a, b []string) []string {
	if len(a)*len(b) > maxLineDiffCells {
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

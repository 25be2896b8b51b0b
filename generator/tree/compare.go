package tree

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lowlat/lowlat/generator/textdiff"
)

// Change is one file that differs between two trees.
type Change struct {
	Path string
	// Kind is "added" (only in the rendered tree), "removed" (only in the
	// committed one) or "changed".
	Kind string
	// Diff is the unified diff of a changed file, as git prints it: the
	// committed file is a/Path, the rendered one b/Path.
	Diff string
}

// Compare lists the files that differ between the committed tree and a fresh
// render, sorted by path.
func Compare(committed, rendered *Tree) []Change {
	var out []Change
	for _, p := range union(committed.Paths(), rendered.Paths()) {
		old, inOld := committed.files[p]
		cur, inCur := rendered.files[p]
		switch {
		case !inOld:
			out = append(out, Change{Path: p, Kind: "added"})
		case !inCur:
			out = append(out, Change{Path: p, Kind: "removed"})
		case string(old) != string(cur):
			out = append(out, Change{Path: p, Kind: "changed", Diff: lineDiff(p, old, cur)})
		}
	}
	return out
}

// FormatChanges renders changes for a terminal: a changed file as its
// unified diff, an added or removed one as a line naming it.
func FormatChanges(changes []Change) string {
	var b strings.Builder
	for _, c := range changes {
		if c.Diff != "" {
			b.WriteString(c.Diff)
			continue
		}
		fmt.Fprintf(&b, "%s: %s\n", c.Kind, c.Path)
	}
	return b.String()
}

// diffContext is how many unchanged lines surround a change in a file's
// diff.
const diffContext = 3

// lineDiff is the unified diff from the committed file at p to the
// rendered one, named a/p and b/p as git names them.
func lineDiff(p string, old, cur []byte) string {
	return textdiff.Unified("a/"+p, "b/"+p, string(old), string(cur), diffContext)
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, list := range [][]string{a, b} {
		for _, p := range list {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out
}

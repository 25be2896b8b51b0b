package tree

import (
	"fmt"
	"sort"
	"strings"

	"github.com/google/go-cmp/cmp"
)

// Change is one file that differs between two trees.
type Change struct {
	Path string
	// Kind is "added" (only in the rendered tree), "removed" (only in the
	// committed one) or "changed".
	Kind string
	// Diff is the line diff (-committed +rendered) of a changed file.
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
			out = append(out, Change{Path: p, Kind: "changed", Diff: cmp.Diff(lines(old), lines(cur))})
		}
	}
	return out
}

// FormatChanges renders changes for a terminal, one block per file.
func FormatChanges(changes []Change) string {
	var b strings.Builder
	for _, c := range changes {
		fmt.Fprintf(&b, "%s: %s\n", c.Kind, c.Path)
		if c.Diff != "" {
			b.WriteString(c.Diff)
		}
	}
	return b.String()
}

func lines(b []byte) []string { return strings.Split(string(b), "\n") }

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

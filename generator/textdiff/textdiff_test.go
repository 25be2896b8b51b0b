package textdiff

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLines(t *testing.T) {
	cases := []struct {
		name, old, cur string
		context        int
		want           []string
	}{
		{"one changed line, one line of context", "a\nb\nc\nd\ne\nf\n", "a\nb\nc\nD\ne\nf\n", 1,
			[]string{"  …", "  c", "- d", "+ D", "  e", "  …"}},
		{"three lines of context reach the ends", "a\nb\nc\nd\ne\nf\n", "a\nb\nc\nD\ne\nf\n", 3,
			[]string{"  a", "  b", "  c", "- d", "+ D", "  e", "  f"}},
		{"lines added and removed", "a\nb\nc\n", "b\nc\nd\n", 0,
			[]string{"- a", "  …", "+ d"}},
		{"a final newline only on one side", "a\n", "a", 1, []string{"  a", "- "}},
		{"equal texts", "a\nb\n", "a\nb\n", 1, []string{"  …"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, Lines(c.old, c.cur, c.context)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Texts too long for the table are shown whole, old then new.
func TestLongTextsAreShownWhole(t *testing.T) {
	old := strings.Repeat("x\n", 3000)
	cur := strings.Repeat("y\n", 3000)
	got := Lines(old, cur, 1)
	if len(got) != 6000 || got[0] != "- x" || got[5999] != "+ y" {
		t.Errorf("got %d lines, %q … %q", len(got), got[0], got[len(got)-1])
	}
}

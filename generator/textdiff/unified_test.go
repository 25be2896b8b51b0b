package textdiff

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnified(t *testing.T) {
	cases := []struct {
		name, old, cur string
		want           string
	}{
		{"a hand edit is one hunk with three lines of context", "a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nd\nE\nf\ng\nh\n",
			"--- a/f.yaml\n+++ b/f.yaml\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"},
		{"changes far apart are separate hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "0\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n13\n",
			"--- a/f.yaml\n+++ b/f.yaml\n@@ -1,4 +1,4 @@\n-1\n+0\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+13\n"},
		{"changes six lines apart share a hunk", "1\n2\n3\n4\n5\n6\n7\n8\n", "0\n2\n3\n4\n5\n6\n7\n9\n",
			"--- a/f.yaml\n+++ b/f.yaml\n@@ -1,8 +1,8 @@\n-1\n+0\n 2\n 3\n 4\n 5\n 6\n 7\n-8\n+9\n"},
		{"lines added to an empty file start at line 0", "", "a\nb\n",
			"--- a/f.yaml\n+++ b/f.yaml\n@@ -0,0 +1,2 @@\n+a\n+b\n"},
		{"a missing final newline is marked", "a\nb\n", "a\nb",
			"--- a/f.yaml\n+++ b/f.yaml\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n"},
		{"equal texts have no diff", "a\n", "a\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, Unified("a/f.yaml", "b/f.yaml", c.old, c.cur, 3)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func ExampleUnified() {
	committed := "kind: PerformanceProfile\nspec:\n  cpu:\n    reserved: 0-3\n    isolated: 4-95\n"
	rendered := "kind: PerformanceProfile\nspec:\n  cpu:\n    reserved: 0-1,48-49\n    isolated: 2-47,50-95\n"
	fmt.Print(Unified("a/profile.yaml", "b/profile.yaml", committed, rendered, 1))
	// Output:
	// --- a/profile.yaml
	// +++ b/profile.yaml
	// @@ -3,3 +3,3 @@
	//    cpu:
	// -    reserved: 0-3
	// -    isolated: 4-95
	// +    reserved: 0-1,48-49
	// +    isolated: 2-47,50-95
}

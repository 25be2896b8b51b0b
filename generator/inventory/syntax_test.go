package inventory

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestSyntaxErrorsPointAtTheirLine: a YAML syntax error is reported at the
// line that breaks the document, not where the block around it starts.
func TestSyntaxErrorsPointAtTheirLine(t *testing.T) {
	data, err := os.ReadFile("../../fixtures/inventories/workshop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	find := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return i
			}
		}
		t.Fatalf("workshop.yaml has no line %q", prefix)
		return 0
	}
	for _, tc := range []struct {
		name string
		at   int // 0-based index of the line to break
		edit func(string) string
		want string
	}{
		{"a key indented one space too far", find("        cpus: 4"), func(l string) string { return " " + l }, "mapping values are not allowed"},
		{"a key indented one space too short", find("        cpus: 4"), func(l string) string { return l[1:] }, "did not find expected key (in the block that starts at line"},
		{"a quote left open", find("        duration: 10m"), func(l string) string { return strings.Replace(l, "10m", `"10m`, 1) }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			broken := append([]string(nil), lines...)
			broken[tc.at] = tc.edit(broken[tc.at])
			_, err := Parse([]byte(strings.Join(broken, "")), "inv.yaml", "../../fixtures/inventories")
			var invErr *Error
			if !errors.As(err, &invErr) || len(invErr.Problems) != 1 {
				t.Fatalf("want one problem, got %v", err)
			}
			p := invErr.Problems[0]
			// A quote left open is found where the scalar cannot end: at
			// the broken line or the next.
			if p.Line != tc.at+1 && !(tc.want == "" && p.Line == tc.at+2) {
				t.Errorf("reported at line %d, want %d: %s", p.Line, tc.at+1, p.Message)
			}
			if !strings.Contains(p.Message, tc.want) {
				t.Errorf("message %q lacks %q", p.Message, tc.want)
			}
		})
	}
}

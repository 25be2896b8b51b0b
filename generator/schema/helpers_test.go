package schema

import (
	"strings"
	"testing"
)

// validationCase is one hand-made resource and what validating it must say:
// no problem at all when want is empty, otherwise a problem containing each
// fragment of want (field path and rule) and nothing else.
type validationCase struct {
	name string
	doc  string
	want []string
}

// shared is one validator for all tests: compiling the largest CRDs takes a
// moment, and a Validator is safe for concurrent use.
var shared = New()

func validate(t *testing.T, doc string) []Problem {
	t.Helper()
	r := &Result{}
	shared.ValidateFile("case.yaml", []byte(doc), r)
	return r.Problems
}

func runCases(t *testing.T, cases []validationCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := validate(t, c.doc)
			if len(got) != len(c.want) {
				t.Fatalf("got %d problems, want %d %q:\n%s", len(got), len(c.want), c.want, joinProblems(got))
			}
			for _, w := range c.want {
				if !containsProblem(got, w) {
					t.Errorf("no problem contains %q:\n%s", w, joinProblems(got))
				}
			}
		})
	}
}

func containsProblem(ps []Problem, fragment string) bool {
	for _, p := range ps {
		if strings.Contains(p.String(), fragment) {
			return true
		}
	}
	return false
}

func joinProblems(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

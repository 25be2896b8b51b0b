package inventory

import (
	"errors"
	"testing"
)

// FuzzParse checks that no input makes the loader panic and that every
// failure is reported as an *Error with at least one problem.
func FuzzParse(f *testing.F) {
	f.Add([]byte(validInventory))
	f.Add([]byte("spec: {clusters: [{name: a, nodePools: [{tuning: {reservedCPUs: '0-3'}}]}]}"))
	f.Add([]byte("&a [*a]"))
	f.Add([]byte("- - - -"))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := Parse(data, "fuzz.yaml", t.TempDir())
		if err == nil {
			if inv == nil {
				t.Fatal("nil inventory without error")
			}
			return
		}
		var invErr *Error
		if !errors.As(err, &invErr) || len(invErr.Problems) == 0 {
			t.Fatalf("want *Error with problems, got %v", err)
		}
	})
}

package schema

import "testing"

// FuzzValidateFile checks that no file makes the validator panic or hang, and
// that every problem names its file.
func FuzzValidateFile(f *testing.F) {
	f.Add([]byte(performanceProfile))
	f.Add([]byte(lowLatencyVM))
	f.Add([]byte(baselineJob))
	f.Add([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- x\n---\n"))
	f.Add([]byte("a: &a [*a, *a]\nb: [*a, *a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &Result{}
		shared.ValidateFile("fuzz.yaml", data, r)
		for _, p := range r.Problems {
			if p.File != "fuzz.yaml" || p.Message == "" {
				t.Fatalf("problem without file or message: %#v", p)
			}
		}
	})
}

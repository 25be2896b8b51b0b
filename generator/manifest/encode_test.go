package manifest

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// YAML must write what sigs.k8s.io/yaml.Marshal writes for the typed
// object, whatever the values: numbers of every kind, strings YAML would
// read as something else, nesting, empty containers.
func TestYAMLMatchesMarshal(t *testing.T) {
	type inner struct {
		F32   float32           `json:"f32"`
		F64   float64           `json:"f64"`
		Big   int64             `json:"big"`
		Neg   int               `json:"neg"`
		U     uint64            `json:"u"`
		Empty map[string]string `json:"empty"`
		Nil   []string          `json:"nil"`
	}
	objs := []any{
		map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"},
			"data": map[string]string{"a10": "true", "a9": "0x1F", "b": "1.50", "c": "null", "d": "~", "e": "multi\nline\n", "f": "- item", "g": "key: value", "h": "  lead", "i": "08", "j": "1e3", "k": ""}},
		inner{F32: 0.1, F64: 1e21, Big: 1 << 62, Neg: -7, U: 1 << 40},
		map[string]any{"list": []any{1, 2.5, "3", true, nil, []any{}, map[string]any{}}, "long": string(make([]byte, 0)) + "a very long string that goes on and on past the eighty column width at which some encoders fold lines into several"},
	}
	for _, obj := range objs {
		want, err := yaml.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Object(data)
		if err != nil {
			t.Fatal(err)
		}
		got, err := YAML(m)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("YAML differs from sigs.k8s.io/yaml.Marshal (-want +got):\n%s", diff)
		}
	}
}

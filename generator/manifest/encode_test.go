package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	yamlv2 "go.yaml.in/yaml/v2"
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

// Long lists are encoded a chunk at a time; the bytes must be those of
// encoding the document in one go, wherever the list sits and whatever its
// elements hold (long strings that wrap at the column they are written at,
// block scalars with empty lines, long lists inside elements).
func TestYAMLOfLongListsIsThatOfOneEncode(t *testing.T) {
	long := func(n int, elem func(i int) any) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = elem(i)
		}
		return out
	}
	words := "a long string with spaces that wraps when it passes the eightieth column of its line %d"
	docs := map[string]map[string]any{
		"top-level list of strings": {"resources": long(1000, func(i int) any { return fmt.Sprintf("application-c%d-root.yaml", i) })},
		"deep in an ApplicationSet": {"spec": map[string]any{"generators": []any{map[string]any{"list": map[string]any{
			"elements": long(700, func(i int) any {
				return map[string]any{"cluster": fmt.Sprintf("c%d", i), "note": fmt.Sprintf(words, i)}
			}),
		}}}}},
		"block scalars and nested long lists": {"a": map[string]any{"b": long(300, func(i int) any {
			return map[string]any{"text": fmt.Sprintf("line one\n\nline three %d\n", i), "inner": long(260, func(j int) any { return j })}
		})}},
		"a string that is the placeholder": {"x": placeholder(0), "list": long(300, func(i int) any { return i })},
		"exactly the chunk length":         {"list": long(longList, func(i int) any { return fmt.Sprintf(words, i) })},
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			want, err := yamlv2.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			got, err := YAML(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("(-one encode +in chunks):\n%s", cmp.Diff(string(want), string(got)))
			}
		})
	}
}

// BenchmarkYAMLOfALongList reports what encoding a 10,000-cluster
// ApplicationSet's list allocates.
func BenchmarkYAMLOfALongList(b *testing.B) {
	elements := make([]any, 10000)
	for i := range elements {
		elements[i] = map[string]any{"cluster": fmt.Sprintf("c%d", i)}
	}
	doc := map[string]any{"spec": map[string]any{"generators": []any{map[string]any{"list": map[string]any{"elements": elements}}}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := YAML(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// A List is written as the list of its elements, by YAML and by
// encoding/json; an empty one as an empty list.
func TestListIsEncodedAsItsElements(t *testing.T) {
	names := make([]any, 1000)
	for i := range names {
		names[i] = map[string]any{"cluster": fmt.Sprintf("c%d", i)}
	}
	lazy := List{Len: len(names), At: func(i int) any { return map[string]any{"cluster": fmt.Sprintf("c%d", i)} }}
	for name, c := range map[string]struct{ lazy, eager any }{
		"a thousand elements": {lazy, names},
		"one element":         {List{Len: 1, At: lazy.At}, names[:1]},
		"no elements":         {List{At: lazy.At}, []any{}},
	} {
		t.Run(name, func(t *testing.T) {
			want, err := yamlv2.Marshal(map[string]any{"spec": map[string]any{"elements": c.eager}})
			if err != nil {
				t.Fatal(err)
			}
			got, err := YAML(map[string]any{"spec": map[string]any{"elements": c.lazy}})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("YAML (-eager +lazy):\n%s", cmp.Diff(string(want), string(got)))
			}
			wantJSON, _ := json.Marshal(c.eager)
			gotJSON, err := json.Marshal(c.lazy)
			if err != nil || !bytes.Equal(gotJSON, wantJSON) {
				t.Errorf("JSON: %s, %v; want %s", gotJSON, err, wantJSON)
			}
		})
	}
}

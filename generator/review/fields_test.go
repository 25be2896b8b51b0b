package review

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

func TestDiffFields(t *testing.T) {
	tests := []struct {
		name     string
		old, cur string
		want     []FieldChange
	}{{
		name: "containers are matched by name, not by position",
		old:  `{containers: [{name: a, image: x}, {name: b, image: v1}]}`,
		cur:  `{containers: [{name: b, image: v2}, {name: a, image: x}]}`,
		want: []FieldChange{{Path: "containers[name=b].image", Change: Changed, Old: "v1", New: "v2"}},
	}, {
		name: "an inserted container does not shift the ones after it",
		old:  `{containers: [{name: a}, {name: b}]}`,
		cur:  `{containers: [{name: new}, {name: a}, {name: b}]}`,
		want: []FieldChange{{Path: "containers[name=new]", Change: Added, New: map[string]any{"name": "new"}}},
	}, {
		name: "hugepages are matched by size and NUMA node",
		old:  `{pages: [{size: 1G, count: 16, node: 0}, {size: 1G, count: 16, node: 1}]}`,
		cur:  `{pages: [{size: 1G, count: 8, node: 1}]}`,
		want: []FieldChange{
			{Path: "pages[size=1G,node=0]", Change: Removed, Old: map[string]any{"size": "1G", "count": 16.0, "node": 0.0}},
			{Path: "pages[size=1G,node=1].count", Change: Changed, Old: 16.0, New: 8.0},
		},
	}, {
		name: "hugepages without a NUMA node are matched by size",
		old:  `{pages: [{size: 2M, count: 4096}]}`,
		cur:  `{pages: [{size: 2M, count: 2048}]}`,
		want: []FieldChange{{Path: "pages[size=2M].count", Change: Changed, Old: 4096.0, New: 2048.0}},
	}, {
		name: "match expressions are matched by key",
		old:  `{matchExpressions: [{key: a, operator: In, values: [x]}, {key: b, operator: Exists}]}`,
		cur:  `{matchExpressions: [{key: b, operator: Exists}, {key: a, operator: In, values: [x, z]}]}`,
		want: []FieldChange{{Path: "matchExpressions[key=a].values[=z]", Change: Added, New: "z"}},
	}, {
		name: "items that share a name are compared by index",
		old:  `{items: [{name: a, v: 1}, {name: a, v: 2}]}`,
		cur:  `{items: [{name: a, v: 1}, {name: a, v: 3}]}`,
		want: []FieldChange{{Path: "items[1].v", Change: Changed, Old: 2.0, New: 3.0}},
	}, {
		name: "a value leaving a list of scalars is named by its value",
		old:  `{args: [-a, -b, -c]}`,
		cur:  `{args: [-a, -c]}`,
		want: []FieldChange{{Path: "args[=-b]", Change: Removed, Old: "-b"}},
	}, {
		name: "a reordered list of scalars is reported whole",
		old:  `{args: [-a, -b]}`,
		cur:  `{args: [-b, -a]}`,
		want: []FieldChange{{Path: "args", Change: Changed, Old: []any{"-a", "-b"}, New: []any{"-b", "-a"}}},
	}, {
		name: "label keys with dots and slashes are quoted",
		old:  `{metadata: {labels: {app.kubernetes.io/name: a}}}`,
		cur:  `{metadata: {labels: {app.kubernetes.io/name: b}}}`,
		want: []FieldChange{{Path: `metadata.labels["app.kubernetes.io/name"]`, Change: Changed, Old: "a", New: "b"}},
	}, {
		name: "a field that changes type is one change",
		old:  `{spec: {a: {b: 1}}}`,
		cur:  `{spec: {a: 2}}`,
		want: []FieldChange{{Path: "spec.a", Change: Changed, Old: map[string]any{"b": 1.0}, New: 2.0}},
	}, {
		name: "equal objects have no changes",
		old:  `{spec: {a: [1, 2]}}`,
		cur:  `{spec: {a: [1, 2]}}`,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := diffFields(decode(t, tc.old), decode(t, tc.cur))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"a CPU list stays bare", "0-1,48-49", "0-1,48-49"},
		{"a string that reads as a number is quoted", "10", `"10"`},
		{"an empty string is quoted", "", `""`},
		{"a string with lines is quoted on one line", "a\nb", `"a\nb"`},
		{"a flag stays bare", "-runtime=600", "-runtime=600"},
		{"a map is sorted flow style", map[string]any{"size": "1G", "count": 16.0}, "{count: 16, size: 1G}"},
		{"a comma inside a flow list is quoted", []any{"a,b", "c"}, `["a,b", c]`},
		{"null is spelled out", nil, "null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := formatValue(tc.in); got != tc.want {
				t.Errorf("formatValue(%#v) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

package manifest

import (
	"fmt"
	"testing"
)

func TestAnnotationAndLabel(t *testing.T) {
	obj := map[string]any{"metadata": map[string]any{
		"labels":      map[string]any{"lowlat.dev/phase": "baseline", "count": int64(3)},
		"annotations": map[string]any{"argocd.argoproj.io/sync-wave": "5"},
	}}
	for _, tc := range []struct {
		name string
		obj  map[string]any
		read func(map[string]any, string) string
		key  string
		want string
	}{
		{"a label is read by key", obj, Label, "lowlat.dev/phase", "baseline"},
		{"an annotation is read by key", obj, Annotation, "argocd.argoproj.io/sync-wave", "5"},
		{"a missing key reads as empty", obj, Annotation, "lowlat.dev/phase", ""},
		{"a value that is not a string reads as empty", obj, Label, "count", ""},
		{"an object without metadata reads as empty", map[string]any{}, Label, "lowlat.dev/phase", ""},
		{"metadata that is not a map reads as empty", map[string]any{"metadata": "x"}, Annotation, "a", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.read(tc.obj, tc.key); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func ExampleAnnotation() {
	obj, _ := Object([]byte(`{"kind": "Job", "metadata": {"name": "w", "annotations": {"argocd.argoproj.io/hook": "Sync"}}}`))
	fmt.Printf("%q %q\n", Annotation(obj, "argocd.argoproj.io/hook"), Annotation(obj, "argocd.argoproj.io/sync-wave"))
	// Output: "Sync" ""
}

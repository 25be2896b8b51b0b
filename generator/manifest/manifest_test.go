package manifest

import "testing"

func TestIdentify(t *testing.T) {
	for _, tc := range []struct {
		obj  map[string]any
		want ID
		str  string
	}{
		{map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "lowlat-perf"}},
			ID{Version: "v1", Kind: "Namespace", Name: "lowlat-perf"}, "Namespace lowlat-perf"},
		{map[string]any{"apiVersion": "batch/v1", "kind": "Job", "metadata": map[string]any{"name": "w", "namespace": "lowlat-system"}},
			ID{Group: "batch", Version: "v1", Kind: "Job", Namespace: "lowlat-system", Name: "w"}, "Job lowlat-system/w"},
		{map[string]any{}, ID{}, " "},
	} {
		got := Identify(tc.obj)
		if got != tc.want || got.String() != tc.str {
			t.Errorf("%v: got %+v %q, want %+v %q", tc.obj, got, got.String(), tc.want, tc.str)
		}
		if av, _ := tc.obj["apiVersion"].(string); got.APIVersion() != av {
			t.Errorf("%v: apiVersion %q, want %q", tc.obj, got.APIVersion(), av)
		}
		if k := got.Key(); k.Group != got.Group || k.Kind != got.Kind || k.Namespace != got.Namespace || k.Name != got.Name {
			t.Errorf("key %+v of %+v", k, got)
		}
	}
}

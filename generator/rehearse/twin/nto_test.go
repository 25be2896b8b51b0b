package twin

import (
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestAProfileFindsItsPoolAsTheNodeTuningOperatorDoes(t *testing.T) {
	cnf := map[string]string{roleLabelPrefix + "cnf": ""}
	for _, tc := range []struct {
		name  string
		pools []map[string]any
		want  string // pool, or the error
	}{
		{"the held pool of a canary layout is the profile's", canaryPools(), "cnf"},
		{"two pools with the profile's selector are refused", append(canaryPools(), poolObject("cnf-2", matchRole("cnf"), "cnf")),
			`more than one MCP found that matches performance profile node selector "node-role.kubernetes.io/cnf="`},
		{"no pool with the profile's selector is refused", canaryPools()[:2],
			`failed to find MCP with the node selector that matches labels "node-role.kubernetes.io/cnf="`},
		{"a pool whose selector is empty matches every profile", append(canaryPools(), poolObject("all", map[string]any{}, workerRole)),
			`more than one MCP found that matches performance profile node selector "node-role.kubernetes.io/cnf="`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pool, err := profilePool(snapshotOf(map[schema.GroupVersionResource][]map[string]any{gvrMCP: tc.pools}), cnf)
			got := ""
			if err != nil {
				got = err.Error()
			} else {
				got = pool.GetName()
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

const seed004 = "../../fixtures/advise/seed-004.yaml"

// lowlat advise -o json gives one object per workload with what a script
// reads: name, platform, pool, knobs and reasons.
func TestAdviseJSONHasOneObjectPerWorkload(t *testing.T) {
	code, stdout, stderr := run("advise", "-f", seed004, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if len(got) < 5 {
		t.Fatalf("%d workloads, want the seed's five and more", len(got))
	}
	for _, w := range got {
		for _, key := range []string{"name", "platform", "pool", "knobs", "reasons"} {
			if _, ok := w[key]; !ok {
				t.Errorf("workload %v has no %s", w["name"], key)
			}
		}
		if p := w["platform"]; p != "container" && p != "vm" {
			t.Errorf("workload %v: platform %v", w["name"], p)
		}
	}
}

// --workload and --cluster narrow the output; a name that matches nothing
// and an unknown format are errors.
func TestAdviseFilters(t *testing.T) {
	code, stdout, _ := run("advise", "-f", seed004, "--workload", "memcached")
	if code != 0 || !strings.Contains(stdout, "memcached") || strings.Contains(stdout, "gluster") {
		t.Errorf("--workload memcached: exit %d\n%s", code, stdout)
	}
	for _, args := range [][]string{
		{"--workload", "nope"},
		{"--cluster", "nope"},
		{"-o", "yaml"},
	} {
		if code, _, stderr := run(append([]string{"advise", "-f", seed004}, args...)...); code == 0 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

package inventory

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// withoutMachineSet makes pool plain of machinesInventory one whose nodes
// exist already, which warns on every load (WarnExistingNodes).
var withoutMachineSet = edits("      replicas: 3\n      zones: [us-east-2a, us-east-2b]\n      taints:\n      - {key: lowlat.dev/pool, value: plain, effect: NoSchedule}\n",
	"      replicas: 3\n      machineSet: false\n")

func TestAcknowledgedWarningsAreMarkedByCode(t *testing.T) {
	cases := []struct {
		name         string
		acknowledged string
		want         bool
	}{
		{"a warning whose code the cluster lists is acknowledged", "    acknowledgedWarnings: [existing-nodes]\n", true},
		{"a warning of another code is not", "    acknowledgedWarnings: [missing-eni]\n", false},
		{"without the list nothing is", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := strings.Replace(withoutMachineSet(machinesInventory), "    nodePools:\n", c.acknowledged+"    nodePools:\n", 1)
			inv, err := Parse([]byte(text), "inv.yaml", ".")
			if err != nil {
				t.Fatal(err)
			}
			got := Warnings(inv)
			if len(got) != 1 || got[0].Code != WarnExistingNodes || got[0].Acknowledged != c.want {
				t.Errorf("want one %s warning, acknowledged %v; got %+v", WarnExistingNodes, c.want, got)
			}
		})
	}
}

func TestUnknownAcknowledgedWarningCodesAreErrors(t *testing.T) {
	text := strings.Replace(withoutMachineSet(machinesInventory), "    nodePools:\n",
		"    acknowledgedWarnings:\n    - existing-nodes\n    - existing-node\n    - existing-nodes\n    nodePools:\n", 1)
	_, err := Parse([]byte(text), "inv.yaml", ".")
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("got %v, want an inventory error", err)
	}
	want := []Problem{
		{Line: 23, Path: "spec.clusters[0].acknowledgedWarnings[1]", Message: `Unsupported value: "existing-node": supported values: "canary-label", "existing-nodes", "host-local-ipam", "missing-eni", "pooled-addresses", "replicas-mismatch"`},
		{Line: 24, Path: "spec.clusters[0].acknowledgedWarnings[2]", Message: `Duplicate value: "existing-nodes"`},
	}
	if diff := cmp.Diff(want, e.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

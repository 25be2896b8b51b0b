package inventory

import (
	"strings"
	"testing"
)

// perfTestsBlock gives machinesInventory's cluster the re-test a canary is
// judged by.
const perfTestsBlock = `    perfTests:
      nodePool: cnf
      podDensity: 20
      thresholds:
      - {measurement: podLatency, conditionType: Ready, metric: P99, threshold: 5s}
`

func withPerfTests(text string) string {
	return strings.Replace(text, "    nodePools:\n", perfTestsBlock+"    nodePools:\n", 1)
}

func TestCanaryAccepted(t *testing.T) {
	text := withPerfTests(edits("      replicas: 2\n", "      replicas: 2\n      canary: true\n")(machinesInventory))
	inv, err := Parse([]byte(text), "inv.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	np := &inv.Spec.Clusters[0].NodePools[0]
	if !np.Canary || np.CanaryRole() != "cnf-canary" {
		t.Errorf("canary %v, role %q; want true, cnf-canary", np.Canary, np.CanaryRole())
	}
}

func TestCanaryRejections(t *testing.T) {
	const pool0 = "spec.clusters[0].nodePools[0]"
	long := strings.Repeat("r", CanaryRoleMax+1)
	cases := []struct {
		name string
		text string
		want []pathProblem
	}{
		{"a one-node pool has nothing to hold back",
			withPerfTests(edits("      replicas: 2\n", "      replicas: 1\n      canary: true\n")(machinesInventory)),
			[]pathProblem{{pool0 + ".canary", "a canary needs at least 2"}}},
		{"a canary without perf tests has no re-test",
			edits("      replicas: 2\n", "      replicas: 2\n      canary: true\n")(machinesInventory),
			[]pathProblem{{pool0 + ".canary", "set perfTests.podDensity"}}},
		{"a re-test without a pod latency threshold always passes",
			strings.Replace(withPerfTests(edits("      replicas: 2\n", "      replicas: 2\n      canary: true\n")(machinesInventory)),
				"      thresholds:\n      - {measurement: podLatency, conditionType: Ready, metric: P99, threshold: 5s}\n", "", 1),
			[]pathProblem{{pool0 + ".canary", "add a podLatency threshold"}}},
		{"a node role too long for the re-test Jobs' names",
			withPerfTests(edits("      replicas: 2\n", "      replicas: 2\n      nodeRole: "+long+"\n      canary: true\n")(machinesInventory)),
			[]pathProblem{{pool0 + ".canary", "shorten the pool's node role to 45 characters"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.text), "inv.yaml", ".")
			assertPathProblems(t, err, tc.want)
		})
	}
}

func TestCanaryWithoutMachineSetNamesTheCanaryLabel(t *testing.T) {
	text := withPerfTests(edits("      replicas: 2\n", "      replicas: 2\n      machineSet: false\n      canary: true\n")(machinesInventory))
	inv, err := Parse([]byte(text), "inv.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, w := range Warnings(inv) {
		if w.Path == "spec.clusters[0].nodePools[0].canary" {
			found = strings.Contains(w.Message, "label exactly one of its nodes node-role.kubernetes.io/cnf-canary")
		}
	}
	if !found {
		t.Errorf("no warning naming the canary label in %v", Warnings(inv))
	}
}

package inventory

import "testing"

// TestHugepagesThatDoNotFitSayHowManyDo: an overfull NUMA node is reported
// with the most pages of each size that fit beside the others and the
// kubelet's reservation (c5.metal: 98304 MiB per node, 1100 reserved on
// node 0).
func TestHugepagesThatDoNotFitSayHowManyDo(t *testing.T) {
	text := edits("      tuning:\n        reservedCPUs: 4\n    - name: plain",
		"      tuning:\n        reservedCPUs: 4\n        hugepages:\n        - {size: 1G, count: 90, node: 0}\n        - {size: 2M, count: 4096, node: 0}\n    - name: plain")(machinesInventory)
	_, err := Parse([]byte(text), "inv.yaml", ".")
	assertPathProblems(t, err, []pathProblem{{"spec.clusters[0].nodePools[0].tuning.hugepages",
		"at most 86 pages of 1G or 2522 pages of 2M there"}})
}

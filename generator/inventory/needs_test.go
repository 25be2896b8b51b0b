package inventory

import (
	"strings"
	"testing"
)

// TestBadNeedsAreAllReported: an unknown attribute, an unknown level and a
// workload no pool serves, each with field path and line, in one run.
func TestBadNeedsAreAllReported(t *testing.T) {
	data := `apiVersion: lowlat.dev/v1alpha1
kind: Inventory
metadata: {name: bad}
spec:
  openshift: {version: "4.22"}
  clusters:
  - name: lab1
    region: us-east-2
    nodePools:
    - name: cnf-c5
      instanceType: c5.metal
      replicas: 2
      machineSet: false
      tuning: {reservedCPUs: 4}
    workloads:
      apps:
      - name: typo
        replicas: 1
        needs: {cpuu: high}
      - name: level
        replicas: 1
        needs: {memory: hihg}
      - name: nvme
        replicas: 1
        needs: {diskLatency: high}
`
	_, err := Parse([]byte(data), "bad.yaml", t.TempDir())
	if err == nil {
		t.Fatal("bad needs loaded")
	}
	want := []string{
		`bad.yaml:19: spec.clusters[0].workloads.apps[0].needs.cpuu: Forbidden: unknown field; did you mean "cpu"?`,
		`bad.yaml:22: spec.clusters[0].workloads.apps[1].needs.memory: Invalid value: "hihg": unknown level; did you mean "high"?`,
		`bad.yaml:25: spec.clusters[0].workloads.apps[2].needs: Invalid value: no pool serves the needs of app nvme: cnf-c5 (c5.metal) has no local NVMe (needs.diskLatency)`,
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("want %q in:\n%v", w, err)
		}
	}
}

func TestNeedsDeriveAVMsKnobsWhereUnset(t *testing.T) {
	inv, err := Load("../../fixtures/advise/seed-004.yaml")
	if err != nil {
		t.Fatal(err)
	}
	vm := inv.Spec.Clusters[0].Workloads.VMs[0]
	got := []any{vm.NodePool, *vm.IsolateEmulatorThread, vm.HugepageSize, vm.IOThreadsPolicy, len(vm.Networks)}
	want := []any{"cnf-c5", true, "1Gi", "shared", 0}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("VM market-data: nodePool, isolateEmulatorThread, hugepageSize, ioThreadsPolicy, networks = %v, want %v", got, want)
			break
		}
	}
}

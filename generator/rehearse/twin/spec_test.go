package twin

import (
	"testing"

	"github.com/lowlat/lowlat/generator/inventory"
)

// TestSpecForPutsEachReplicaInItsZonesMachineSet spreads a pool's replicas
// over its zones as the renderer's MachineSets do, and leaves the nodes of
// a pool without MachineSets to exist before the sync.
func TestSpecForPutsEachReplicaInItsZonesMachineSet(t *testing.T) {
	no := false
	inv := &inventory.Inventory{Spec: inventory.Spec{OpenShift: inventory.OpenShift{Version: "4.20"}}}
	c := &inventory.Cluster{Name: "lab1", InfraID: "lab1-x7k2p", NodePools: []inventory.NodePool{
		{Name: "cnf", InstanceType: "c5.metal", Replicas: 3, Zones: []string{"us-east-2a", "us-east-2b"},
			Instances: []inventory.Instance{{ID: "i-1", AvailabilityZone: "us-east-2c", NetworkInterfaces: []inventory.NetworkInterface{
				{ID: "eni-0", SubnetID: "subnet-0"}, {ID: "eni-1", DeviceIndex: 1, SubnetID: "subnet-1"}}}}},
		{Name: "old", InstanceType: "c5.metal", Replicas: 1, MachineSet: &no,
			Instances: []inventory.Instance{{ID: "i-2", AvailabilityZone: "us-east-2c"}}},
	}}
	spec, err := SpecFor(inv, c)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ name, machineSet, zone string }{
		{"lab1-cnf-0", "lab1-x7k2p-cnf-us-east-2a", "us-east-2a"},
		{"lab1-cnf-1", "lab1-x7k2p-cnf-us-east-2a", "us-east-2a"},
		{"lab1-cnf-2", "lab1-x7k2p-cnf-us-east-2b", "us-east-2b"},
		{"lab1-old-0", "", "us-east-2c"},
	}
	if len(spec.Nodes) != len(want) {
		t.Fatalf("%d nodes, want %d", len(spec.Nodes), len(want))
	}
	for i, w := range want {
		n := spec.Nodes[i]
		if n.Name != w.name || n.MachineSet != w.machineSet || n.Zone != w.zone {
			t.Errorf("node %d: %s in %q from %q, want %s in %q from %q", i, n.Name, n.Zone, n.MachineSet, w.name, w.zone, w.machineSet)
		}
	}
	if got := spec.Nodes[0].Interfaces; len(got) != 2 || got[1].SubnetID != "subnet-1" {
		t.Errorf("the first cnf node keeps its discovered ENIs: %+v", got)
	}
	if got := spec.Nodes[1].Interfaces; len(got) != 1 || got[0].SubnetID != "" {
		t.Errorf("a replica without a discovered instance has its primary interface only: %+v", got)
	}
}

func TestProvisionIsADurationKey(t *testing.T) {
	d := DefaultDurations()
	if d.Provision.Minutes() != 10 {
		t.Errorf("default provision %s, want 10m", d.Provision)
	}
	if err := d.Set("provision=7m"); err != nil || d.Provision.Minutes() != 7 {
		t.Errorf("provision=7m: %v, %s", err, d.Provision)
	}
}

func TestTheFailJobFaultNamesJobsByNameOrPattern(t *testing.T) {
	f := Faults{FailJob: []string{"kube-burner-baseline", "lowlat-perf/canary-cnf-*"}}
	for _, tc := range []struct {
		namespace, job string
		want           bool
	}{
		{"lowlat-perf", "kube-burner-baseline", true},
		{"lowlat-perf", "canary-cnf-dc3716a0ed", true},
		{"lowlat-system", "canary-cnf-dc3716a0ed", false},
		{"lowlat-perf", "kube-burner-retest", false},
	} {
		if got := f.failJob(tc.namespace, tc.job); got != tc.want {
			t.Errorf("%s/%s: got %v, want %v", tc.namespace, tc.job, got, tc.want)
		}
	}
}

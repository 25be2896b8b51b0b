package advise

import "fmt"

// Live migration rules, checked against KubeVirt v1.8.0, the version lowlat
// validates VirtualMachines against (generator/schema/sources.go).
//
//   - Dedicated CPUs migrate: virt-handler computes the target's CPU set
//     (pkg/virt-handler/migration-target.go, MigrationState.TargetCPUSet) and
//     the source rewrites the domain's pinning and NUMA topology for it
//     (pkg/virt-launcher/virtwrap/live-migration-source.go, migratableDomXML,
//     cpudedicated.GenerateDomainForTargetCPUSetAndTopology). The target node
//     needs as many free whole cores and hugepages, on a node of the same
//     pool.
//   - SR-IOV interfaces migrate only by being unplugged: the source detaches
//     every SR-IOV host device before migrating (live-migration-source.go,
//     hotUnplugHostDevices → sriov.SafelyDetachHostDevices) and the target
//     plugs a VF of its own back (feature gate SRIOVLiveMigration, GA in
//     pkg/virt-config/featuregate/inactive.go). The interface is gone for the
//     whole migration, and on EC2 a VF is one ENI, so the target must have an
//     ENI in that subnet that no other VM holds.
//   - PCI host devices and GPUs do not migrate at all (pkg/virt-handler/vm.go,
//     calculateLiveMigrationCondition, vmiContainsPCIHostDevice); lowlat
//     renders none.

// migration checks a VM's live migration need against its tuning.
func (d *decider) migration(pl *Pool) {
	l := d.need(LiveMigration)
	if d.a.Platform != VM || l < Medium {
		return
	}
	d.knob(Knob{Name: "evictionStrategy", Value: "LiveMigrate", Source: Derived,
		Reason: fmt.Sprintf("needs.liveMigration %s: a drained node migrates the VM to another of pool %s's %d nodes instead of stopping it; KubeVirt v1.8 moves the dedicated CPUs' pinning to the target's free cores",
			l, pl.Name, pl.Replicas)})
	sriov := d.a.Knob("sriov")
	if sriov == nil || l < High {
		return
	}
	field, way := "needs.liveMigration", "lower needs.liveMigration to medium (the interface's outage during a migration is accepted) or needs.networkLatency to medium (no SR-IOV)"
	if sriov.Source == Explicit {
		field, way = "networks", "lower needs.liveMigration to medium (the interface's outage during a migration is accepted) or remove networks"
	}
	d.problem(field, fmt.Sprintf("needs.liveMigration high contradicts SR-IOV network %s: KubeVirt unplugs a VM's SR-IOV interfaces for the whole of a live migration and plugs a new VF on the target, which on EC2 needs a free ENI in the same subnet there; %s",
		sriov.Value, way))
}

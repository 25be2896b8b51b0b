package render

import (
	"github.com/lowlat/lowlat/generator/canary"
	"github.com/lowlat/lowlat/generator/gates"
	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/machines"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/monitoring"
	"github.com/lowlat/lowlat/generator/perftest"
	"github.com/lowlat/lowlat/generator/tuning"
)

// Component is one directory of a cluster's overlay and, where clusters share
// objects, of base/. Each is its own kustomization so that one ArgoCD
// Application can sync it, in the order of Components.
type Component struct {
	Name string
	// Base renders the objects every cluster shares; nil when none.
	Base func(inv *inventory.Inventory) ([]any, error)
	// Cluster renders one cluster's own objects; nil when none.
	Cluster func(inv *inventory.Inventory, c *inventory.Cluster) ([]any, error)
}

// Component names, also the directory names.
const (
	ComponentOperators        = "operators"
	ComponentOperatorConfig   = "operator-config"
	ComponentMachines         = "machines"
	ComponentPerftestBaseline = "perftest-baseline"
	ComponentTuning           = "tuning"
	ComponentNetworking       = "networking"
	ComponentWorkloads        = "workloads"
	ComponentMonitoring       = "monitoring"
	ComponentPerftestRetest   = "perftest-retest"
)

// Components lists every component in sync order.
var Components = []Component{
	{Name: ComponentOperators, Base: operatorsBase, Cluster: operatorsCluster},
	{Name: ComponentOperatorConfig, Cluster: operatorConfig},
	{Name: ComponentMachines, Cluster: machineObjects},
	{Name: ComponentPerftestBaseline, Cluster: perftestBaseline},
	{Name: ComponentTuning, Cluster: tuningObjects},
	{Name: ComponentNetworking, Cluster: networkingObjects},
	{Name: ComponentWorkloads, Cluster: workloadObjects},
	{Name: ComponentMonitoring, Cluster: monitoringObjects},
	{Name: ComponentPerftestRetest, Cluster: perftestRetest},
}

// monitoringObjects are the cluster's alerts, in a namespace of their own
// that the platform Prometheus reads, and its console dashboard; none when
// the inventory turns monitoring off.
func monitoringObjects(_ *inventory.Inventory, c *inventory.Cluster) ([]any, error) {
	if !c.Monitoring.On() {
		return nil, nil
	}
	return monitoring.Objects(c)
}

// machineObjects are the MachineSets of the pools that have them.
func machineObjects(_ *inventory.Inventory, c *inventory.Cluster) ([]any, error) {
	var objs []any
	for i := range c.NodePools {
		np := &c.NodePools[i]
		if !np.HasMachineSets() {
			continue
		}
		sets, err := machines.Objects(c, np)
		if err != nil {
			return nil, err
		}
		for _, ms := range sets {
			objs = append(objs, ms)
		}
	}
	return objs, nil
}

// tuningObjects are the pools and their profiles, with the canary pools,
// their controller and their re-tests where pools have a canary.
func tuningObjects(inv *inventory.Inventory, c *inventory.Cluster) ([]any, error) {
	var objs []any
	for i := range c.NodePools {
		np := &c.NodePools[i]
		objs = append(objs, tuning.MachineConfigPoolFor(np))
		if np.Canary {
			objs = append(objs, tuning.CanaryPoolFor(np))
		}
		profile := manifest.Commented{Object: tuning.PerformanceProfileFor(np), Comments: tuning.ProfileComments(np)}
		objs = append(objs, profile, tuning.MarkerFor(np), gates.PoolTuned(np.NodeRole, tuning.MarkerName(np), rolloutNodes(np)))
	}
	retests, err := perftest.CanaryObjects(c, inv.Spec.GitOps.Namespace, runApplication(c))
	if err != nil {
		return nil, err
	}
	return append(append(objs, canary.Objects(c)...), retests...), nil
}

// rolloutNodes is how many node rollouts a pool's tuning takes, for the
// tuning gate's timeout: one per node, and one more for a canary, whose
// re-test and release come before the other nodes.
func rolloutNodes(np *inventory.NodePool) int {
	if np.Canary {
		return np.Replicas + 1
	}
	return np.Replicas
}

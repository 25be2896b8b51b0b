package twin

import "context"

// The machine configs a fresh cluster's worker and master pools select.
// A real cluster has more (00-, 01-kubelet, 97-/98-/99- per role, SSH
// keys, registries); what matters to the twin is that a custom pool
// selecting the worker role and its own renders the same content as the
// worker pool until a config of its own role appears (MCO
// pkg/controller/render: a pool's rendered config is the merge of every
// MachineConfig its machineConfigSelector matches).
var baseMachineConfigs = []struct{ name, role string }{
	{"00-master", masterRole},
	{"01-master-kubelet", masterRole},
	{"00-worker", workerRole},
	{"01-worker-kubelet", workerRole},
}

func (t *Twin) installMachineConfig(ctx context.Context) error {
	for _, mc := range baseMachineConfigs {
		obj := object("machineconfiguration.openshift.io/v1", "MachineConfig", "", mc.name)
		obj["metadata"].(map[string]any)["labels"] = map[string]any{roleSelectorLabel: mc.role}
		obj["spec"] = map[string]any{"config": map[string]any{"ignition": map[string]any{"version": "3.5.0"}}}
		if err := t.apply(ctx, "install", gvrMachineConfig, obj); err != nil {
			return err
		}
	}
	for _, role := range []string{masterRole, workerRole} {
		pool := object("machineconfiguration.openshift.io/v1", "MachineConfigPool", "", role)
		pool["metadata"].(map[string]any)["labels"] = map[string]any{
			"pools.operator.machineconfiguration.openshift.io/" + role: "",
		}
		pool["spec"] = map[string]any{
			"machineConfigSelector": map[string]any{"matchLabels": map[string]any{roleSelectorLabel: role}},
			"nodeSelector":          map[string]any{"matchLabels": map[string]any{roleLabelPrefix + role: ""}},
		}
		if err := t.apply(ctx, "install", gvrMCP, pool); err != nil {
			return err
		}
	}
	return nil
}

// roleSelectorLabel is the label by which pools select machine configs.
const roleSelectorLabel = "machineconfiguration.openshift.io/role"

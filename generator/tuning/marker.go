package tuning

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
)

// A pool's tuning marker tells, from the API alone, whether every node of
// the pool runs the tuning lowlat rendered last. The Node Tuning Operator
// reports a profile Available once it has written its machine configs,
// and the pool stays Updated on its old rendered config until the Machine
// Config Operator has rendered the new ones, so neither status says which
// tuning the nodes run. The marker is a MachineConfig named after the hash
// of the profile's spec; the MCO lists every config it merged in the
// pool's spec.configuration.source, and copies that list to
// status.configuration only once all the pool's nodes run the rendered
// config (machine-config-operator release-4.20
// pkg/controller/node/status.go calculateStatus). So a pool whose
// status.configuration.source names the marker runs the current tuning on
// every node, and the waits of the tuning gate and of the perf runs check
// exactly that.
//
// The marker is empty (an Ignition config with its version only): merged
// into the pool's config it changes nothing, so the MCO's rendered
// content, and its name (a hash of the merged spec,
// pkg/controller/render/hash.go), stay what the profile makes them.
// Adding a marker, pruning the one of an earlier tuning, or pruning the
// marker of a pool that left the inventory reboots no node.
//
// The marker lands one sync step after the profile, once the profile is
// Healthy: the Node Tuning Operator reports it Available when it has
// written the profile's machine configs (performanceprofile controller,
// status written after the components are applied). So every rendered
// config that merges the marker merges the profile's configs as well, and
// the MCO lists the marker in status.configuration only once all nodes
// run such a config. A config the operators derive later still (the
// kubelet config the MCO generates from the profile's KubeletConfig, the
// kernel arguments TuneD computes) renders again before the rollout ends,
// and the marker is in that render's sources too.
const (
	// MarkerPrefix starts every tuning marker's name.
	MarkerPrefix = "99-lowlat-"
	// ignitionVersion is the Ignition spec the MCO of OpenShift 4.20
	// accepts in a MachineConfig (3.2.0 and later).
	ignitionVersion = "3.2.0"
	hashLength      = 10
)

// TuningHash is the hash of the pool's PerformanceProfile spec: what the
// Node Tuning Operator turns into the nodes' machine configs and TuneD
// profile.
func TuningHash(np *inventory.NodePool) string {
	spec, err := json.Marshal(PerformanceProfileFor(np).Spec)
	if err != nil {
		panic(fmt.Sprintf("performance profile spec of pool %s: %v", np.Name, err))
	}
	sum := sha256.Sum256(spec)
	return hex.EncodeToString(sum[:])
}

// MarkerName names the pool's tuning marker: 99-lowlat-<role>-tuning-<hash>.
func MarkerName(np *inventory.NodePool) string {
	return MarkerPrefix + np.NodeRole + "-tuning-" + TuningHash(np)[:hashLength]
}

// MarkerFor renders the pool's tuning marker, labelled with the pool's
// role so that the pool (and its canary pool) select it.
func MarkerFor(np *inventory.NodePool) MachineConfig {
	return MachineConfig{
		TypeMeta: kube.TypeMeta{APIVersion: "machineconfiguration.openshift.io/v1", Kind: "MachineConfig"},
		Metadata: kube.ObjectMeta{Name: MarkerName(np), Labels: kube.Labels(map[string]string{roleLabel: np.NodeRole})},
		Spec:     MachineConfigSpec{Config: Ignition{Ignition: IgnitionVersion{Version: ignitionVersion}}},
	}
}

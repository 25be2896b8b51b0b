package twin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
)

// kubeletConfigs turns each KubeletConfig into the MachineConfig of the
// pools it selects, as the MCO's kubelet-config controller does.
func (m *mco) kubeletConfigs(ctx context.Context, s *snapshot) error {
	for _, kc := range s.list(gvrKubeletConfig) {
		sel, err := selectorAt(kc.Object, "spec", "machineConfigPoolSelector")
		if err != nil || sel == nil {
			continue
		}
		for _, pool := range s.list(gvrMCP) {
			if !sel.Matches(labels.Set(pool.GetLabels())) {
				continue
			}
			name := "99-" + pool.GetName() + "-generated-kubelet"
			mc := object("machineconfiguration.openshift.io/v1", "MachineConfig", "", name)
			mc["metadata"].(map[string]any)["labels"] = map[string]any{roleSelectorLabel: pool.GetName()}
			spec, _ := json.Marshal(kc.Object["spec"])
			mc["spec"] = map[string]any{"config": map[string]any{"ignition": map[string]any{"version": "3.5.0"},
				"storage": map[string]any{"files": []any{map[string]any{"path": "/etc/kubernetes/kubelet.conf",
					"contents": map[string]any{"source": "data:," + hex.EncodeToString(sha256Sum(spec))}}}}}}
			if old := s.get(gvrMachineConfig, "", name); old != nil && sameSpec(old, mc) {
				continue
			}
			if err := m.t.apply(ctx, "kubelet-config", gvrMachineConfig, mc); err != nil {
				return err
			}
		}
	}
	return nil
}

func sha256Sum(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

func sameSpec(old *unstructured.Unstructured, obj map[string]any) bool {
	a, _ := json.Marshal(old.Object["spec"])
	b, _ := json.Marshal(obj["spec"])
	return string(a) == string(b)
}

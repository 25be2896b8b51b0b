package twin

import (
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// membership is which pool each node belongs to, and the nodes the node
// controller refuses, with its reason.
type membership struct {
	members map[string][]*unstructured.Unstructured // pool → nodes
	refused map[string]string                       // node → why
}

// poolMembers assigns each node to one pool as the MCO's node controller
// does (openshift/machine-config-operator release-4.20
// pkg/helpers/helpers.go ListPools and GetPoolsForNode): a pool whose node
// selector is empty matches nothing; a node in one custom pool belongs to
// it and leaves worker, unless it is also a master, which wins; a node in
// more than one custom pool (worker not counted) belongs to none, and the
// controller will not update it.
func poolMembers(s *snapshot) membership {
	m := membership{members: map[string][]*unstructured.Unstructured{}, refused: map[string]string{}}
	for i := range s.list(gvrNode) {
		node := &s.list(gvrNode)[i]
		var master, worker bool
		var custom []string
		for _, p := range s.list(gvrMCP) {
			sel, err := selectorAt(p.Object, "spec", "nodeSelector")
			if err != nil || sel == nil || sel.Empty() || !sel.Matches(labels.Set(node.GetLabels())) {
				continue
			}
			switch p.GetName() {
			case masterRole:
				master = true
			case workerRole:
				worker = true
			default:
				custom = append(custom, p.GetName())
			}
		}
		var pool string
		switch {
		case len(custom) > 1:
			m.refused[node.GetName()] = fmt.Sprintf("node %s belongs to %d custom roles, cannot proceed with this Node", node.GetName(), len(custom))
		case master:
			pool = masterRole
		case len(custom) == 1:
			pool = custom[0]
		case worker:
			pool = workerRole
		}
		if pool != "" {
			m.members[pool] = append(m.members[pool], node)
		}
	}
	return m
}

// recordRefused puts each newly refused node on the timeline once, and
// forgets a node the controller takes again.
func (m *mco) recordRefused(refused map[string]string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for node, why := range refused {
		if m.refused[node] != why {
			m.t.rec.Add(timeline.Event{Kind: timeline.Node, Resource: "Node " + node, Status: "NotInPool", Message: why})
		}
	}
	m.refused = refused
}

// selectorAt reads a metav1.LabelSelector field; nil when absent.
func selectorAt(obj map[string]any, fields ...string) (labels.Selector, error) {
	raw, found, _ := unstructured.NestedMap(obj, fields...)
	if !found {
		return nil, nil
	}
	var ls metav1.LabelSelector
	data, _ := json.Marshal(raw)
	if err := json.Unmarshal(data, &ls); err != nil {
		return nil, err
	}
	return metav1.LabelSelectorAsSelector(&ls)
}

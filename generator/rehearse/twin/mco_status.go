package twin

import (
	"context"
	"encoding/json"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// poolStatus reports the pool's machine counts and conditions; once every
// node runs target, status.configuration is the target's configuration.
func (m *mco) poolStatus(ctx context.Context, pool *unstructured.Unstructured, nodes []*unstructured.Unstructured, target string, configuration map[string]any, paused bool) error {
	var updated, ready, unavailable int
	for _, n := range nodes {
		cur := n.GetAnnotations()[currentConfigAnnotation]
		ok := nodeReady(n) && !m.busy(n.GetName())
		if cur == target && !m.busy(n.GetName()) {
			updated++
			if ok {
				ready++
			}
		}
		if !ok {
			unavailable++
		}
	}
	done := updated == len(nodes) && ready == len(nodes)
	st := map[string]any{
		"observedGeneration": pool.GetGeneration(),
		"machineCount":       int64(len(nodes)), "updatedMachineCount": int64(updated),
		"readyMachineCount": int64(ready), "unavailableMachineCount": int64(unavailable), "degradedMachineCount": int64(0),
	}
	if done && configuration != nil {
		st["configuration"] = configuration
	} else if cur, found, _ := unstructured.NestedMap(pool.Object, "status", "configuration"); found {
		st["configuration"] = cur
	}
	m.noteHeld(pool.GetName(), target, paused, done)
	upd, updating := updateConditions(updated, len(nodes), done, paused, target)
	st["conditions"] = m.t.conditions(pool, upd, updating,
		condition{"Degraded", "False", "", ""},
		condition{"NodeDegraded", "False", "", ""},
		condition{"RenderDegraded", "False", "", ""})
	obj := object("machineconfiguration.openshift.io/v1", "MachineConfigPool", "", pool.GetName())
	obj["status"] = st
	if sameStatus(pool, st) {
		return nil
	}
	return m.t.applyStatus(ctx, m.name(), gvrMCP, obj)
}

// updateConditions are a pool's Updated and Updating conditions
// (pkg/controller/node/status.go calculateStatus at release-4.20): Updated
// once every node runs target; otherwise Updating, unless the pool is
// paused, which says what it will not update to.
func updateConditions(updated, nodes int, done, paused bool, target string) (condition, condition) {
	msg := fmt.Sprintf("%d of %d machines updated", updated, nodes)
	switch {
	case done:
		msg = "All nodes are updated with " + target
		return condition{"Updated", "True", "", msg}, condition{"Updating", "False", "", msg}
	case paused:
		return condition{"Updated", "False", "", msg}, condition{"Updating", "False", "", pausedMessage(target)}
	}
	return condition{"Updated", "False", "", msg}, condition{"Updating", "True", "", msg}
}

// pausedMessage is the Updating message of a paused pool whose nodes do
// not all run target (getPoolUpdateLine names a MachineConfig).
func pausedMessage(target string) string {
	return "Pool is paused; will not update to MachineConfig " + target
}

// noteHeld puts on the timeline when a paused pool starts holding back a
// config, and when it is unpaused with nodes still to update.
func (m *mco) noteHeld(pool, target string, paused, done bool) {
	held := paused && !done
	m.mu.Lock()
	before, was := m.held[pool]
	if held {
		m.held[pool] = target
	} else {
		delete(m.held, pool)
	}
	m.mu.Unlock()
	switch {
	case held && before != target:
		m.t.rec.Add(timeline.Event{Kind: timeline.Node, Pool: pool, Resource: "MachineConfigPool " + pool, Status: "Paused", Message: pausedMessage(target)})
	case !paused && !done && was:
		m.t.rec.Add(timeline.Event{Kind: timeline.Node, Pool: pool, Resource: "MachineConfigPool " + pool, Status: "Unpaused", Message: "rolls out " + target})
	}
}

// sameStatus reports whether old's status already says what st says, so
// an unchanged status is not written again every tick.
func sameStatus(old *unstructured.Unstructured, st map[string]any) bool {
	prev, _ := old.Object["status"].(map[string]any)
	if prev == nil {
		return false
	}
	a, _ := json.Marshal(st)
	trimmed := map[string]any{}
	for k := range st {
		trimmed[k] = prev[k]
	}
	b, _ := json.Marshal(trimmed)
	return string(a) == string(b)
}

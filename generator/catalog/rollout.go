package catalog

import "time"

// NodeRollout is how long the Machine Config Operator takes to roll a new
// configuration out to one node of a pool on EC2 metal, as typical values:
// a metal instance takes far longer to reboot (firmware, memory training)
// than a virtual one. `lowlat diff` estimates a rollout with them; the
// rehearsal's cluster twin starts from them (lowlat rehearse --duration
// overrides them there).
var NodeRollout = struct {
	// Render: the operator renders the pool's new configuration, once.
	Render time.Duration
	// Drain: cordon and evict the node's pods.
	Drain time.Duration
	// Reboot: the node reboots into the new configuration and is Ready.
	Reboot time.Duration
	// Retest: a canary's kube-burner re-test on its one node (image
	// pre-load, the pod-density pods started and deleted).
	Retest time.Duration
}{
	Render: 30 * time.Second,
	Drain:  2 * time.Minute,
	Reboot: 12 * time.Minute,
	Retest: 5 * time.Minute,
}

// RolloutTime estimates a rollout to nodes taken batch at a time
// (the pool's maxUnavailable scaled to its size, at least 1).
func RolloutTime(nodes, batch int) time.Duration {
	return NodeRollout.Render + rounds(nodes, batch)
}

// CanaryRolloutTime estimates a rollout through a canary: the canary node,
// then its re-test, started and judged by the canary controller's passes
// (every pass, at worst a whole interval each), then the rest of the pool
// batch at a time.
func CanaryRolloutTime(rest, batch int, pass time.Duration) time.Duration {
	return NodeRollout.Render + rounds(1, 1) + pass + NodeRollout.Retest + pass + rounds(rest, batch)
}

// rounds is the drain and reboot of nodes taken batch at a time.
func rounds(nodes, batch int) time.Duration {
	batch = max(batch, 1)
	return time.Duration((nodes+batch-1)/batch) * (NodeRollout.Drain + NodeRollout.Reboot)
}

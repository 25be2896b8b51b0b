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
}{
	Render: 30 * time.Second,
	Drain:  2 * time.Minute,
	Reboot: 12 * time.Minute,
}

// RolloutTime estimates a rollout to nodes taken batch at a time
// (the pool's maxUnavailable scaled to its size, at least 1).
func RolloutTime(nodes, batch int) time.Duration {
	batch = max(batch, 1)
	rounds := (nodes + batch - 1) / batch
	return NodeRollout.Render + time.Duration(rounds)*(NodeRollout.Drain+NodeRollout.Reboot)
}

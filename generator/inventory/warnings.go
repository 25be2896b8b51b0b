package inventory

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Warnings returns what Load or Parse found questionable but not wrong, in
// file order: the inventory renders, but a reader should know. Commands print
// them on stderr.
func Warnings(inv *Inventory) []Problem { return slices.Clone(inv.warnings) }

// The codes of the warnings, stable across releases: a cluster's
// acknowledgedWarnings lists them.
const (
	WarnReplicasMismatch = "replicas-mismatch"
	WarnMissingENI       = "missing-eni"
	WarnHostLocalIPAM    = "host-local-ipam"
	WarnPooledAddresses  = "pooled-addresses"
	WarnExistingNodes    = "existing-nodes"
	WarnCanaryLabel      = "canary-label"
)

// WarningCodes are every warning's code, sorted.
var WarningCodes = []string{WarnCanaryLabel, WarnExistingNodes, WarnHostLocalIPAM, WarnMissingENI, WarnPooledAddresses, WarnReplicasMismatch}

// warning is a Problem before its line is known.
type warning struct {
	code         string
	path         *field.Path
	msg          string
	acknowledged bool
}

// warn collects the warnings of a valid, defaulted inventory.
func warn(inv *Inventory) []warning {
	var out []warning
	for i := range inv.Spec.Clusters {
		c := &inv.Spec.Clusters[i]
		cp := field.NewPath("spec", "clusters").Index(i)
		var ws []warning
		ws = append(ws, replicaWarnings(c, cp)...)
		ws = append(ws, missingENIWarnings(c, cp)...)
		ws = append(ws, hostLocalWarnings(c, cp)...)
		ws = append(ws, pooledAddressWarnings(c, cp)...)
		ws = append(ws, existingNodeWarnings(c, cp)...)
		for j := range ws {
			ws[j].acknowledged = slices.Contains(c.AcknowledgedWarnings, ws[j].code)
		}
		out = append(out, ws...)
	}
	return out
}

// validateAcknowledged accepts only the codes of warnings lowlat gives, so
// a misspelt code cannot leave a warning printed, or hide another.
func validateAcknowledged(codes []string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := map[string]bool{}
	for i, code := range codes {
		switch {
		case !slices.Contains(WarningCodes, code):
			errs = append(errs, field.NotSupported(p.Index(i), code, WarningCodes))
		case seen[code]:
			errs = append(errs, field.Duplicate(p.Index(i), code))
		}
		seen[code] = true
	}
	return errs
}

// existingNodeWarnings names the label the nodes of a pool without
// MachineSets must carry: nothing lowlat renders puts it on them, and every
// selector of the pool matches it.
func existingNodeWarnings(c *Cluster, p *field.Path) []warning {
	var out []warning
	for i := range c.NodePools {
		np := &c.NodePools[i]
		if np.HasMachineSets() {
			continue
		}
		label := "node-role.kubernetes.io/" + np.NodeRole
		out = append(out, warning{code: WarnExistingNodes, path: p.Child("nodePools").Index(i).Child("machineSet"), msg: fmt.Sprintf(
			"pool %s has no MachineSet: its %d node(s) must exist already and carry the label %s, which every selector of the pool matches (oc label node NODE %s=)",
			np.Name, np.Replicas, label, label)})
		if np.Canary {
			canary := "node-role.kubernetes.io/" + np.CanaryRole()
			out = append(out, warning{code: WarnCanaryLabel, path: p.Child("nodePools").Index(i).Child("canary"), msg: fmt.Sprintf(
				"pool %s has no MachineSet to make its canary: label exactly one of its nodes %s as well (oc label node NODE %s=); until then the pool stays held and the canary CronJob fails",
				np.Name, canary, canary)})
		}
	}
	return out
}

// replicaWarnings notes pools whose discovered instances do not match their
// replica count: stale discovery, or a MachineSet still scaling.
func replicaWarnings(c *Cluster, p *field.Path) []warning {
	var out []warning
	for i := range c.NodePools {
		np := &c.NodePools[i]
		if n := len(np.Instances); n > 0 && n != np.Replicas {
			out = append(out, warning{code: WarnReplicasMismatch, path: p.Child("nodePools").Index(i).Child("instances"), msg: fmt.Sprintf(
				"pool %s has replicas %d but lists %d discovered instance(s); run lowlat discover again once the pool is scaled", np.Name, np.Replicas, n)})
		}
	}
	return out
}

// missingENIWarnings notes instances without an ENI in a network's subnet:
// the network's policy finds no interface on that node, so pods needing the
// network cannot be scheduled there.
func missingENIWarnings(c *Cluster, p *field.Path) []warning {
	var out []warning
	for i := range c.Networks {
		n := &c.Networks[i]
		var missing []string
		for _, np := range c.PoolsOf(n) {
			for _, inst := range np.Instances {
				if len(inst.NetworkInterfaces) > 0 && !hasENIIn(&inst, n.SubnetID) {
					missing = append(missing, inst.ID+" (pool "+np.Name+")")
				}
			}
		}
		if len(missing) > 0 {
			out = append(out, warning{code: WarnMissingENI, path: p.Child("networks").Index(i).Child("subnetID"), msg: fmt.Sprintf(
				"%s has no ENI in %s, so network %s gets no VF there; attach a secondary ENI in the subnet and run lowlat discover again",
				strings.Join(missing, ", "), n.SubnetID, n.Name)})
		}
	}
	return out
}

// hostLocalWarnings notes host-local IPAM on more than one node: each node
// allocates from the whole range on its own, so two pods on two nodes can
// get the same address.
func hostLocalWarnings(c *Cluster, p *field.Path) []warning {
	var out []warning
	for i := range c.Networks {
		n := &c.Networks[i]
		nodes := 0
		for _, np := range c.PoolsOf(n) {
			nodes += np.Replicas
		}
		if n.IPAM.Type == "host-local" && nodes > 1 {
			out = append(out, warning{code: WarnHostLocalIPAM, path: p.Child("networks").Index(i).Child("ipam", "type"), msg: fmt.Sprintf(
				"network %s is on %d nodes, and host-local allocates per node from the whole range %s: two nodes can hand out one address; use whereabouts, or static addresses",
				n.Name, nodes, n.IPAM.Range)})
		}
	}
	return out
}

// pooledAddressWarnings notes IPAM that hands out addresses from a range on
// EC2: the ENI's source/destination check still applies to its VF, so
// traffic from or to an address EC2 did not assign to that ENI is dropped.
func pooledAddressWarnings(c *Cluster, p *field.Path) []warning {
	var out []warning
	for i := range c.Networks {
		n := &c.Networks[i]
		if n.IPAM.Type == "whereabouts" || n.IPAM.Type == "host-local" {
			out = append(out, warning{code: WarnPooledAddresses, path: p.Child("networks").Index(i).Child("ipam", "type"), msg: fmt.Sprintf(
				"network %s: %s hands out addresses from %s, which EC2 did not assign to the ENIs; the ENI's source/destination check drops their traffic unless the check is disabled on the SR-IOV ENIs and the VPC routes the range to them. static IPAM with each ENI's own private address needs neither",
				n.Name, n.IPAM.Type, n.IPAM.Range)})
		}
	}
	return out
}

func hasENIIn(inst *Instance, subnet string) bool {
	for _, eni := range inst.NetworkInterfaces {
		if eni.SubnetID == subnet && !(eni.DeviceIndex == 0 && eni.NetworkCardIndex == 0) {
			return true
		}
	}
	return false
}

// locate gives warnings their lines and sorts them like problems.
func locate(ws []warning, lines lineIndex) []Problem {
	out := make([]Problem, 0, len(ws))
	for _, w := range ws {
		out = append(out, Problem{Line: lines.lineOf(w.path.String()), Path: w.path.String(), Message: w.msg, Code: w.code, Acknowledged: w.acknowledged})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Path < out[j].Path
	})
	return out
}

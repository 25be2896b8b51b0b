package discover

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lowlat/lowlat/generator/inventory"
)

// pair is an (instance, network) an ENI is for.
type pair struct{ instance, network string }

// planner holds what planning has learnt so far.
type planner struct {
	c    *inventory.Cluster
	plan *Plan
	// types are the pools' instance types as EC2 describes them.
	types map[string]types.InstanceTypeInfo
	// owned are lowlat's ENIs of the cluster by ID.
	owned map[string]types.NetworkInterface
	// spare are lowlat's available ENIs by the pair their tags name, by ID.
	spare map[pair][]types.NetworkInterface
	// wanted maps each pair of a running instance to its network's subnet.
	wanted map[pair]string
	// done are the pairs whose instance has an ENI in the subnet, or is
	// getting one from this plan.
	done    map[pair]bool
	deletes []Action
}

func plan(c *inventory.Cluster, pools map[string][]inventory.Instance, byID map[string]types.Instance,
	described map[string]types.InstanceTypeInfo, owned []types.NetworkInterface) *Plan {
	p := &planner{c: c, plan: &Plan{Cluster: c.Name}, types: described, owned: map[string]types.NetworkInterface{},
		spare: map[pair][]types.NetworkInterface{}, wanted: map[pair]string{}, done: map[pair]bool{}}
	for _, e := range owned {
		network, instance, ok := lowlatTags(e, c.Name)
		if !ok {
			continue
		}
		p.owned[aws.ToString(e.NetworkInterfaceId)] = e
		if e.Status == types.NetworkInterfaceStatusAvailable {
			key := pair{instance, network}
			p.spare[key] = append(p.spare[key], e)
		}
	}
	var steps []Action
	for i := range c.NodePools {
		np := &c.NodePools[i]
		nets := networksOf(c, np)
		if len(nets) == 0 {
			continue
		}
		for _, inst := range pools[np.Name] {
			p.plan.Instances++
			steps = append(steps, p.instance(np, byID[inst.ID], nets)...)
		}
	}
	p.orphans()
	// Deletes go first: they free the account's ENI quota before creates
	// use it.
	p.plan.Actions = append(p.deletes, steps...)
	return p.plan
}

// networksOf are the networks configured on pool np, in inventory order.
func networksOf(c *inventory.Cluster, np *inventory.NodePool) []*inventory.Network {
	var out []*inventory.Network
	for i := range c.Networks {
		n := &c.Networks[i]
		if slices.Contains(c.PoolsOf(n), np) {
			out = append(out, n)
		}
	}
	return out
}

// instance plans one instance's missing ENIs, as far as its cards take them.
func (p *planner) instance(np *inventory.NodePool, inst types.Instance, nets []*inventory.Network) []Action {
	id := aws.ToString(inst.InstanceId)
	var steps []Action
	var missing []*inventory.Network
	for _, n := range nets {
		key := pair{id, n.Name}
		p.wanted[key] = n.SubnetID
		have := interfacesIn(inst, n.SubnetID)
		switch {
		case len(have) > 1:
			p.done[key] = true
			p.problemf("instance %s has %d ENIs in %s (network %s): %s; the SR-IOV policy takes each as a VF, and lowlat removes none",
				id, len(have), n.SubnetID, n.Name, strings.Join(eniIDs(have), ", "))
		case len(have) == 1:
			p.done[key] = true
			steps = append(steps, p.deleteOnTermination(id, n, have[0])...)
		case n.AvailabilityZone != "" && zoneOf(inst) != n.AvailabilityZone:
			// An ENI attaches only to an instance in its subnet's zone
			// (EC2 refuses the attachment otherwise).
			p.problemf("instance %s is in %s, but network %s's subnet %s is in %s: no ENI of it can attach",
				id, zoneOf(inst), n.Name, n.SubnetID, n.AvailabilityZone)
		default:
			missing = append(missing, n)
		}
	}
	return append(steps, p.place(np, inst, missing)...)
}

// deleteOnTermination sets an attached ENI of lowlat's to go with its
// instance when a run stopped between its attach and that step.
func (p *planner) deleteOnTermination(id string, n *inventory.Network, ni types.InstanceNetworkInterface) []Action {
	eni := aws.ToString(ni.NetworkInterfaceId)
	if _, ours := p.owned[eni]; !ours || ni.Attachment == nil || aws.ToBool(ni.Attachment.DeleteOnTermination) {
		return nil
	}
	return []Action{{Kind: SetDeleteOnTermination, Instance: id, Network: n.Name, Subnet: n.SubnetID, ENI: eni,
		Attachment: aws.ToString(ni.Attachment.AttachmentId)}}
}

// add attaches a spare ENI lowlat made for the pair earlier, else a new
// one, at the slot attach names.
func (p *planner) add(id string, n *inventory.Network, attach Action) []Action {
	key := pair{id, n.Name}
	p.done[key] = true
	attach.Kind, attach.Instance, attach.Network, attach.Subnet = AttachENI, id, n.Name, n.SubnetID
	for i, e := range p.spare[key] {
		if aws.ToString(e.SubnetId) == n.SubnetID {
			p.spare[key] = slices.Delete(p.spare[key], i, i+1)
			attach.ENI = aws.ToString(e.NetworkInterfaceId)
			return []Action{attach}
		}
	}
	return []Action{{Kind: CreateENI, Instance: id, Network: n.Name, Subnet: n.SubnetID}, attach}
}

// place gives the missing networks' ENIs a slot each, filling the default
// card before the next (EC2 limits each card, not only the instance), and
// reports the networks no card has room for. The limits are
// DescribeInstanceTypes'; past them EC2 refuses the attach with
// AttachmentLimitExceeded, which explain names.
func (p *planner) place(np *inventory.NodePool, inst types.Instance, missing []*inventory.Network) []Action {
	if len(missing) == 0 {
		return nil
	}
	id, typ := aws.ToString(inst.InstanceId), string(inst.InstanceType)
	info, ok := p.types[typ]
	if !ok {
		p.problemf("instance %s of pool %s: EC2 did not describe its type %s; its ENI limits are unknown, so no ENI is added", id, np.Name, typ)
		return nil
	}
	cards, err := cardsOf(info)
	if err != nil {
		p.problemf("instance %s of pool %s: %s: %v; its ENI limits are unknown, so no ENI is added", id, np.Name, typ, err)
		return nil
	}
	used := slotsOf(inst)
	usage, have, limit := used.usage(cards)
	var steps []Action
	var left []string
	for _, n := range missing {
		card, device, ok := used.place(cards)
		if !ok {
			left = append(left, n.Name)
			continue
		}
		steps = append(steps, p.add(id, n, Action{NetworkCard: card, DeviceIndex: device, NetworkCards: len(cards)})...)
	}
	if len(left) > 0 {
		p.problemf("instance %s (%s) has %d of its %d ENIs (%s) and room for %d more: no ENI added for network(s) %s",
			id, typ, have, limit, usage, len(missing)-len(left), strings.Join(left, ", "))
	}
	return steps
}

// orphans plans the deletion of lowlat's available ENIs no pair takes.
func (p *planner) orphans() {
	keys := make([]pair, 0, len(p.spare))
	for k := range p.spare {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].instance < keys[j].instance || keys[i].instance == keys[j].instance && keys[i].network < keys[j].network
	})
	for _, key := range keys {
		kept := false
		for _, e := range p.spare[key] {
			reason := p.orphanReason(key, e)
			if reason == "" && !kept {
				// Wanted but not attachable now (no room, other zone): it
				// waits for a later run.
				kept = true
				continue
			}
			if reason == "" {
				reason = fmt.Sprintf("a second spare ENI for %s", key.instance)
			}
			p.deletes = append(p.deletes, Action{Kind: DeleteENI, Instance: key.instance, Network: key.network,
				Subnet: aws.ToString(e.SubnetId), ENI: aws.ToString(e.NetworkInterfaceId), Reason: reason})
		}
	}
}

// orphanReason says why a spare ENI is not needed; empty when it is.
func (p *planner) orphanReason(key pair, e types.NetworkInterface) string {
	subnet, wanted := p.wanted[key]
	switch {
	case !wanted && !slices.ContainsFunc(p.c.Networks, func(n inventory.Network) bool { return n.Name == key.network }):
		return fmt.Sprintf("network %s is not in the inventory", key.network)
	case !wanted:
		return fmt.Sprintf("%s is not a running instance of a pool of network %s", key.instance, key.network)
	case aws.ToString(e.SubnetId) != subnet:
		return fmt.Sprintf("it is in %s, but network %s is in %s", aws.ToString(e.SubnetId), key.network, subnet)
	case p.done[key]:
		return fmt.Sprintf("%s has its ENI in network %s", key.instance, key.network)
	}
	return ""
}

func (p *planner) problemf(format string, args ...any) {
	p.plan.Problems = append(p.plan.Problems, fmt.Sprintf(format, args...))
}

func interfacesIn(inst types.Instance, subnet string) []types.InstanceNetworkInterface {
	var out []types.InstanceNetworkInterface
	for _, ni := range inst.NetworkInterfaces {
		if aws.ToString(ni.SubnetId) == subnet {
			out = append(out, ni)
		}
	}
	return out
}

func eniIDs(nis []types.InstanceNetworkInterface) []string {
	var out []string
	for _, ni := range nis {
		out = append(out, aws.ToString(ni.NetworkInterfaceId))
	}
	sort.Strings(out)
	return out
}

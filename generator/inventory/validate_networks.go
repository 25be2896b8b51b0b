package inventory

import (
	"fmt"
	"net"
	"regexp"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/lowlat/lowlat/generator/catalog"
)

// EC2 resource IDs: a prefix and 8 (older resources) or 17 hex digits.
var (
	subnetIDPattern   = regexp.MustCompile(`^subnet-([0-9a-f]{8}|[0-9a-f]{17})$`)
	instanceIDPattern = regexp.MustCompile(`^i-([0-9a-f]{8}|[0-9a-f]{17})$`)
	eniIDPattern      = regexp.MustCompile(`^eni-([0-9a-f]{8}|[0-9a-f]{17})$`)
)

// validateNetworks checks a cluster's SR-IOV networks, and the discovery
// filters and discovered instances of its pools, after the pools were
// resolved. Besides the fields, it refuses what would render policies that
// silently fail on AWS: a network in a primary ENI's subnet, more networks on
// a pool than its instance type has secondary ENIs, and a subnet in another
// availability zone than the pool's instances.
func validateNetworks(c *Cluster, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	ids := uniqueNames{}
	for i := range c.NodePools {
		pp := p.Child("nodePools").Index(i)
		errs = append(errs, validateDiscovery(c.NodePools[i].Discovery, pp.Child("discovery"))...)
		errs = append(errs, validateInstances(c, &c.NodePools[i], ids, pp.Child("instances"))...)
	}
	names := uniqueNames{}
	for i := range c.Networks {
		np := p.Child("networks").Index(i)
		errs = append(errs, names.add(np.Child("name"), c.Networks[i].Name)...)
		errs = append(errs, validateNetwork(c, &c.Networks[i], np)...)
	}
	errs = append(errs, subnetPerPool(c, p.Child("networks"))...)
	return append(errs, enisPerPool(c, p.Child("networks"))...)
}

func validateNetwork(c *Cluster, n *Network, p *field.Path) field.ErrorList {
	errs := dnsLabel(p.Child("name"), n.Name)
	errs = append(errs, resourceID(p.Child("subnetID"), n.SubnetID, subnetIDPattern, "subnet-0a1b2c3d4e5f60718")...)
	errs = append(errs, oneOf(p.Child("deviceType"), n.DeviceType, DeviceTypes)...)
	errs = append(errs, dnsLabel(p.Child("namespace"), n.Namespace)...)
	errs = append(errs, validateIPAM(&n.IPAM, p.Child("ipam"))...)
	zone := n.AvailabilityZone
	if zoneErrs := zoneOf(c.Region, zone, p.Child("availabilityZone")); zone != "" && len(zoneErrs) > 0 {
		errs, zone = append(errs, zoneErrs...), "" // a zone of another region says nothing about placement
	}
	seen := map[string]bool{}
	for i, name := range n.NodePools {
		switch {
		case seen[name]:
			errs = append(errs, field.Duplicate(p.Child("nodePools").Index(i), name))
		case c.Pool(name) == nil:
			errs = append(errs, field.NotFound(p.Child("nodePools").Index(i), name))
		}
		seen[name] = true
	}
	return append(errs, placement(c, n, zone, p.Child("subnetID"))...)
}

func validateIPAM(ipam *IPAM, p *field.Path) field.ErrorList {
	switch {
	case ipam.Type == "" && ipam.Gateway != "":
		return fieldErr(field.Required(p.Child("range"), "a gateway needs the range it belongs to"))
	case ipam.Type == "":
		return nil
	case ipam.Type == ipamStatic && (ipam.Range != "" || ipam.Gateway != ""):
		return fieldErr(field.Forbidden(p.Child("range"), "static IPAM takes each pod's addresses from its network selection annotation; it has no range or gateway"))
	case ipam.Type == ipamStatic:
		return nil
	}
	errs := oneOf(p.Child("type"), ipam.Type, IPAMTypes)
	if ipam.Range == "" {
		return append(errs, field.Required(p.Child("range"), fmt.Sprintf("%s allocates from a CIDR such as 10.10.0.0/24", ipam.Type)))
	}
	_, cidr, err := net.ParseCIDR(ipam.Range)
	if err != nil {
		return append(errs, field.Invalid(p.Child("range"), ipam.Range, "must be a CIDR such as 10.10.0.0/24"))
	}
	if ipam.Gateway == "" {
		return errs
	}
	if gw := net.ParseIP(ipam.Gateway); gw == nil || !cidr.Contains(gw) {
		errs = append(errs, field.Invalid(p.Child("gateway"), ipam.Gateway, "must be an IP address in "+ipam.Range))
	}
	return errs
}

func validateDiscovery(d *Discovery, p *field.Path) field.ErrorList {
	if d == nil {
		return nil
	}
	var errs field.ErrorList
	for i, tag := range d.Tags {
		tp := p.Child("tags").Index(i)
		if tag.Key == "" {
			errs = append(errs, field.Required(tp.Child("key"), "an EC2 tag key such as Name"))
		}
		if len(tag.Values) == 0 {
			errs = append(errs, field.Required(tp.Child("values"), "at least one value; * matches any"))
		}
		for j, v := range tag.Values {
			if v == "" {
				errs = append(errs, field.Required(tp.Child("values").Index(j), "an empty value matches no tag"))
			}
		}
	}
	return errs
}

// validateInstances checks what discovery wrote, or a user typed, for a pool.
func validateInstances(c *Cluster, np *NodePool, ids uniqueNames, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range np.Instances {
		inst, ip := &np.Instances[i], p.Index(i)
		errs = append(errs, resourceID(ip.Child("id"), inst.ID, instanceIDPattern, "i-0a12b34c56d78e901")...)
		errs = append(errs, ids.add(ip.Child("id"), inst.ID)...)
		if inst.InstanceType != "" && inst.InstanceType != np.InstanceType {
			errs = append(errs, field.Invalid(ip.Child("instanceType"), inst.InstanceType,
				fmt.Sprintf("pool %s is %s; run lowlat discover again or move the instance to its pool", np.Name, np.InstanceType)))
		}
		if inst.AvailabilityZone != "" {
			errs = append(errs, zoneOf(c.Region, inst.AvailabilityZone, ip.Child("availabilityZone"))...)
		}
		if inst.SubnetID != "" {
			errs = append(errs, resourceID(ip.Child("subnetID"), inst.SubnetID, subnetIDPattern, "subnet-0a1b2c3d4e5f60718")...)
		}
		for j, eni := range inst.NetworkInterfaces {
			ep := ip.Child("networkInterfaces").Index(j)
			errs = append(errs, resourceID(ep.Child("id"), eni.ID, eniIDPattern, "eni-0123456789abcdef0")...)
			errs = append(errs, resourceID(ep.Child("subnetID"), eni.SubnetID, subnetIDPattern, "subnet-0a1b2c3d4e5f60718")...)
			if eni.DeviceIndex < 0 || eni.NetworkCardIndex < 0 {
				errs = append(errs, field.Invalid(ep, fmt.Sprintf("device %d, card %d", eni.DeviceIndex, eni.NetworkCardIndex), "indexes start at 0"))
			}
		}
	}
	return errs
}

// placement refuses a network that would take over a primary ENI or whose
// subnet cannot reach a pool's instances. Only discovered facts are checked:
// without instances or zones there is nothing to compare.
func placement(c *Cluster, n *Network, zone string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, np := range c.PoolsOf(n) {
		var primary, elsewhere []string
		for _, inst := range np.Instances {
			if n.SubnetID != "" && inst.PrimarySubnet() == n.SubnetID {
				primary = append(primary, inst.ID)
			}
			if zone != "" && inst.AvailabilityZone != "" && inst.AvailabilityZone != zone {
				elsewhere = append(elsewhere, inst.ID+" ("+inst.AvailabilityZone+")")
			}
		}
		if len(primary) > 0 {
			errs = append(errs, field.Invalid(p, n.SubnetID, fmt.Sprintf(
				"is the subnet of the primary ENI of %s in pool %s, which carries the cluster network; the SR-IOV operator does not protect the primary ENI and the node would lose its cluster network: use a subnet that only secondary ENIs are in",
				strings.Join(primary, ", "), np.Name)))
		}
		if len(elsewhere) > 0 {
			errs = append(errs, field.Invalid(p, n.SubnetID, fmt.Sprintf(
				"is in %s, but instances of pool %s are in other zones: %s; an ENI attaches only to instances in its subnet's zone",
				zone, np.Name, strings.Join(elsewhere, ", "))))
		}
	}
	return errs
}

// subnetPerPool refuses two networks of one subnet on one pool: their
// policies would select the same interfaces and only one would get them.
func subnetPerPool(c *Cluster, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for pi := range c.NodePools {
		np := &c.NodePools[pi]
		first := map[string]string{}
		for i := range c.Networks {
			n := &c.Networks[i]
			if n.SubnetID == "" || !onPool(c, n, np) {
				continue
			}
			if other, dup := first[n.SubnetID]; dup {
				errs = append(errs, field.Invalid(p.Index(i).Child("subnetID"), n.SubnetID, fmt.Sprintf(
					"network %s already uses this subnet on pool %s; one subnet's ENIs back one network", other, np.Name)))
				continue
			}
			first[n.SubnetID] = n.Name
		}
	}
	return errs
}

// enisPerPool refuses more networks on a pool than its instance type has
// secondary ENIs: each network needs one ENI per node, and the primary ENI
// is never one of them.
func enisPerPool(c *Cluster, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i := range c.NodePools {
		np := &c.NodePools[i]
		limit := maxENIs(np)
		var names []string
		for j := range c.Networks {
			if onPool(c, &c.Networks[j], np) {
				names = append(names, c.Networks[j].Name)
			}
		}
		if limit > 0 && len(names) > limit-1 {
			sort.Strings(names)
			errs = append(errs, field.Forbidden(p, fmt.Sprintf(
				"pool %s carries %d SR-IOV networks (%s), but %s takes at most %d ENIs and one is the primary: at most %d fit; restrict networks to pools with nodePools",
				np.Name, len(names), strings.Join(names, ", "), np.InstanceType, limit, limit-1)))
		}
	}
	return errs
}

func maxENIs(np *NodePool) int {
	if h := np.Host(); h != nil {
		return h.InstanceType.MaxENIs
	}
	it, err := catalog.Lookup(np.InstanceType)
	if err != nil {
		return 0 // reported on the pool's instanceType
	}
	return it.MaxENIs
}

func onPool(c *Cluster, n *Network, np *NodePool) bool {
	for _, q := range c.PoolsOf(n) {
		if q == np {
			return true
		}
	}
	return false
}

func resourceID(p *field.Path, id string, pattern *regexp.Regexp, example string) field.ErrorList {
	if id == "" {
		return fieldErr(field.Required(p, "an EC2 ID such as "+example))
	}
	if !pattern.MatchString(id) {
		return fieldErr(field.Invalid(p, id, "must be an EC2 ID such as "+example))
	}
	return nil
}

// zoneOf checks that an availability zone (us-east-2a) or local zone
// (us-east-1-bos-1a) belongs to the cluster's region.
func zoneOf(region, zone string, p *field.Path) field.ErrorList {
	pattern := regexp.MustCompile(`^` + regexp.QuoteMeta(region) + `([a-z]|-[a-z0-9-]+[a-z])$`)
	if !pattern.MatchString(zone) {
		return fieldErr(field.Invalid(p, zone, "must be an availability zone of region "+region+", such as "+region+"a"))
	}
	return nil
}

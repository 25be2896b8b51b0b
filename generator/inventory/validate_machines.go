package inventory

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

var (
	amiIDPattern           = regexp.MustCompile(`^ami-([0-9a-f]{8}|[0-9a-f]{17})$`)
	securityGroupIDPattern = regexp.MustCompile(`^sg-([0-9a-f]{8}|[0-9a-f]{17})$`)
	// iamNamePattern is IAM's rule for instance profile names.
	iamNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)
)

// MachineSetNameMax is the longest MachineSet name: the machine API copies
// the name into the machine.openshift.io/cluster-api-machineset label of
// its Machines, and a label value is at most 63 characters.
const MachineSetNameMax = validation.LabelValueMaxLength

// MachineSetName names a pool's MachineSet in a zone the way the installer
// names the workers' (<infraID>-worker-<zone>).
func (c *Cluster) MachineSetName(np *NodePool, zone string) string {
	return c.InfraID + "-" + np.Name + "-" + zone
}

// CanaryMachineSetName names the MachineSet of a pool's canary node, in
// the pool's first zone.
func (c *Cluster) CanaryMachineSetName(np *NodePool) string {
	return c.InfraID + "-" + np.Name + "-canary-" + np.Zones[0]
}

// validateMachines checks what the pools' MachineSets are made of: the
// cluster's machines block, and each pool's zones and taints.
func validateMachines(c *Cluster, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	var withSets []string
	for i := range c.NodePools {
		np, pp := &c.NodePools[i], p.Child("nodePools").Index(i)
		if !np.HasMachineSets() {
			if len(np.Zones) > 0 {
				errs = append(errs, field.Invalid(pp.Child("zones"), np.Zones, "zones place the pool's MachineSets, and the pool has machineSet: false"))
			}
			if len(np.Taints) > 0 {
				errs = append(errs, field.Invalid(pp.Child("taints"), len(np.Taints), "taints are set by the pool's MachineSets, and the pool has machineSet: false; taint the existing nodes yourself"))
			}
			continue
		}
		withSets = append(withSets, np.Name)
		errs = append(errs, validateTaints(np.Taints, pp.Child("taints"))...)
		if c.Machines != nil {
			errs = append(errs, validatePoolZones(c, np, pp)...)
		}
	}
	if len(withSets) == 0 {
		return errs
	}
	how := fmt.Sprintf("pool(s) %s create their nodes with MachineSets", strings.Join(withSets, ", "))
	if c.InfraID == "" {
		errs = append(errs, field.Required(p.Child("infraID"), how+", which are named after the cluster's infrastructure name and tag their instances with it: "+
			"oc get infrastructure cluster -o jsonpath='{.status.infrastructureName}'; or set machineSet: false on pools whose nodes exist"))
	} else {
		errs = append(errs, dnsLabel(p.Child("infraID"), c.InfraID)...)
	}
	if c.Machines == nil {
		return append(errs, field.Required(p.Child("machines"), how+", which need the AMI, instance profile, security groups and subnets of the cluster's workers: "+
			"run lowlat discover --write to record them, or set machineSet: false on pools whose nodes exist"))
	}
	return append(errs, validateMachineValues(c.Machines, c.Region, p.Child("machines"))...)
}

func validateMachineValues(m *Machines, region string, p *field.Path) field.ErrorList {
	errs := resourceID(p.Child("ami"), m.AMI, amiIDPattern, "ami-0123456789abcdef0")
	switch {
	case m.InstanceProfile == "":
		errs = append(errs, field.Required(p.Child("instanceProfile"), "the workers' IAM instance profile, such as <infraID>-worker-profile"))
	case !iamNamePattern.MatchString(m.InstanceProfile):
		errs = append(errs, field.Invalid(p.Child("instanceProfile"), m.InstanceProfile, "must be an IAM instance profile name (letters, digits and +=,.@_-, at most 128), not an ARN"))
	}
	if len(m.SecurityGroups) == 0 {
		errs = append(errs, field.Required(p.Child("securityGroups"), "the workers' security groups (sg-...)"))
	}
	groups := uniqueNames{}
	for i, sg := range m.SecurityGroups {
		errs = append(errs, resourceID(p.Child("securityGroups").Index(i), sg, securityGroupIDPattern, "sg-0123456789abcdef0")...)
		errs = append(errs, groups.add(p.Child("securityGroups").Index(i), sg)...)
	}
	if len(m.Subnets) == 0 {
		errs = append(errs, field.Required(p.Child("subnets"), "the cluster's private subnets, one per availability zone"))
	}
	zones := uniqueNames{}
	for i, s := range m.Subnets {
		sp := p.Child("subnets").Index(i)
		errs = append(errs, zoneOf(region, s.Zone, sp.Child("zone"))...)
		errs = append(errs, zones.add(sp.Child("zone"), s.Zone)...)
		errs = append(errs, resourceID(sp.Child("id"), s.ID, subnetIDPattern, "subnet-0a1b2c3d4e5f60718")...)
	}
	types := uniqueNames{}
	for i, o := range m.Offerings {
		op := p.Child("offerings").Index(i)
		if o.InstanceType == "" {
			errs = append(errs, field.Required(op.Child("instanceType"), "an EC2 instance type such as c5.metal"))
		}
		errs = append(errs, types.add(op.Child("instanceType"), o.InstanceType)...)
		for j, z := range o.Zones {
			errs = append(errs, zoneOf(region, z, op.Child("zones").Index(j))...)
		}
	}
	if v := m.RootVolume; v != nil {
		vp := p.Child("rootVolume")
		if v.SizeGiB < 16 || v.SizeGiB > 16384 {
			errs = append(errs, field.Invalid(vp.Child("sizeGiB"), v.SizeGiB, "must be 16 to 16384 GiB; RHCOS needs at least 16"))
		}
		errs = append(errs, oneOf(vp.Child("type"), v.Type, VolumeTypes)...)
		if v.IOPS < 0 {
			errs = append(errs, field.Invalid(vp.Child("iops"), v.IOPS, "must not be negative"))
		}
	}
	errs = append(errs, oneOf(p.Child("metadataService"), m.MetadataService, MetadataServices)...)
	errs = append(errs, dnsSubdomain(p.Child("userDataSecret"), m.UserDataSecret)...)
	return append(errs, dnsSubdomain(p.Child("credentialsSecret"), m.CredentialsSecret)...)
}

// validatePoolZones checks that each zone of the pool can hold its
// machines: a subnet is known there, EC2 offers the instance type there,
// the pool's SR-IOV networks are there, and the MachineSet's name fits.
func validatePoolZones(c *Cluster, np *NodePool, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if len(np.Zones) == 0 {
		return nil // machines.subnets is empty, which is reported there
	}
	zones := uniqueNames{}
	for j, z := range np.Zones {
		zp := p.Child("zones").Index(j)
		if zerrs := zoneOf(c.Region, z, zp); len(zerrs) > 0 {
			errs = append(errs, zerrs...)
			continue
		}
		errs = append(errs, zones.add(zp, z)...)
		if c.Machines.Subnet(z) == "" {
			errs = append(errs, field.Invalid(zp, z, fmt.Sprintf("machines.subnets has no subnet in %s; run lowlat discover --write, or add the zone's private subnet", z)))
		}
		if offered, known := c.Machines.offers(np.InstanceType); known && !slices.Contains(offered, z) {
			errs = append(errs, field.Invalid(zp, z, fmt.Sprintf("EC2 does not offer %s in %s; it is offered in %s", np.InstanceType, z, listOrNone(offered))))
		}
		for i := range c.Networks {
			// With instances, placement compares the network with them.
			n := &c.Networks[i]
			if len(np.Instances) == 0 && n.AvailabilityZone != "" && n.AvailabilityZone != z && onPool(c, n, np) {
				errs = append(errs, field.Invalid(zp, z, fmt.Sprintf(
					"network %s's subnet is in %s, and an ENI attaches only to an instance in its subnet's zone; place the pool in %s or give the network a subnet in %s",
					n.Name, n.AvailabilityZone, n.AvailabilityZone, z)))
			}
		}
		name := c.MachineSetName(np, z)
		if np.Canary && j == 0 {
			name = c.CanaryMachineSetName(np)
		}
		if c.InfraID != "" && len(name) > MachineSetNameMax {
			errs = append(errs, field.Invalid(p.Child("name"), np.Name, fmt.Sprintf(
				"its MachineSet in %s would be named %s, %d characters; the name is a label value on its Machines, at most %d: shorten the pool's name by %d",
				z, name, len(name), MachineSetNameMax, len(name)-MachineSetNameMax)))
		}
	}
	return errs
}

// offers returns the zones that offer the instance type, and whether
// discovery recorded them.
func (m *Machines) offers(instanceType string) ([]string, bool) {
	for _, o := range m.Offerings {
		if o.InstanceType == instanceType {
			return o.Zones, true
		}
	}
	return nil, false
}

func listOrNone(zones []string) string {
	if len(zones) == 0 {
		return "no zone of the region"
	}
	return strings.Join(zones, ", ")
}

func validateTaints(taints []Taint, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := map[string]bool{}
	for i, t := range taints {
		tp := p.Index(i)
		for _, msg := range validation.IsQualifiedName(t.Key) {
			errs = append(errs, field.Invalid(tp.Child("key"), t.Key, msg))
		}
		for _, msg := range validation.IsValidLabelValue(t.Value) {
			errs = append(errs, field.Invalid(tp.Child("value"), t.Value, msg))
		}
		errs = append(errs, oneOf(tp.Child("effect"), t.Effect, TaintEffects)...)
		if seen[t.Key+":"+t.Effect] {
			errs = append(errs, field.Duplicate(tp, t.Key+":"+t.Effect))
		}
		seen[t.Key+":"+t.Effect] = true
	}
	return errs
}

func dnsSubdomain(p *field.Path, name string) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validation.IsDNS1123Subdomain(name) {
		errs = append(errs, field.Invalid(p, name, msg))
	}
	return errs
}

package inventory

import "slices"

// defaultMachines fills the machines block and each MachineSet pool's
// zones: where its discovered instances are, else where its SR-IOV
// networks' subnets are (an ENI attaches only to an instance in its
// subnet's zone), else the first zone with a subnet.
func defaultMachines(c *Cluster) {
	m := c.Machines
	if m == nil {
		return
	}
	if m.RootVolume == nil {
		m.RootVolume = &RootVolume{}
	}
	if m.RootVolume.SizeGiB == 0 {
		m.RootVolume.SizeGiB = DefaultRootVolumeGiB
	}
	if m.RootVolume.Type == "" {
		m.RootVolume.Type = DefaultRootVolumeType
	}
	if m.RootVolume.Encrypted == nil {
		m.RootVolume.Encrypted = ptr(true)
	}
	if m.MetadataService == "" {
		m.MetadataService = DefaultMetadataService
	}
	if m.UserDataSecret == "" {
		m.UserDataSecret = DefaultUserDataSecret
	}
	if m.CredentialsSecret == "" {
		m.CredentialsSecret = DefaultCredentialsSecret
	}
	for i := range c.NodePools {
		np := &c.NodePools[i]
		if !np.HasMachineSets() || len(np.Zones) > 0 {
			continue
		}
		switch zones := instanceZones(np); {
		case len(zones) > 0:
			np.Zones = zones
		case networkZone(c, np) != "":
			np.Zones = []string{networkZone(c, np)}
		case len(m.Subnets) > 0:
			np.Zones = []string{m.Subnets[0].Zone}
		}
	}
}

// instanceZones are the zones of the pool's discovered instances, sorted:
// the zones its MachineSets placed them in.
func instanceZones(np *NodePool) []string {
	var out []string
	for _, inst := range np.Instances {
		if z := inst.AvailabilityZone; z != "" && !slices.Contains(out, z) {
			out = append(out, z)
		}
	}
	slices.Sort(out)
	return out
}

// networkZone is the zone of the first of the pool's networks whose zone
// is known and of the cluster's region.
func networkZone(c *Cluster, np *NodePool) string {
	for i := range c.Networks {
		n := &c.Networks[i]
		if n.AvailabilityZone != "" && len(zoneOf(c.Region, n.AvailabilityZone, nil)) == 0 && onPool(c, n, np) {
			return n.AvailabilityZone
		}
	}
	return ""
}

package inventory

// Network defaults and enumerations.
const (
	// DefaultDeviceType keeps the VF on its kernel driver: pods get a normal
	// network interface. vfio-pci is for DPDK and VM passthrough.
	DefaultDeviceType = "netdevice"
	// DefaultIPAM hands out addresses from a range across nodes without a
	// per-node split, which host-local would need.
	DefaultIPAM = "whereabouts"
	// ipamStatic takes each pod's addresses from its network selection
	// annotation; it has no range.
	ipamStatic = "static"
)

var (
	// DeviceTypes are the SR-IOV device types of the SriovNetworkNodePolicy
	// CRD (spec.deviceType enum).
	DeviceTypes = []string{"netdevice", "vfio-pci"}
	// IPAMTypes are the IPAM plugins lowlat configures.
	IPAMTypes = []string{"host-local", "static", "whereabouts"}
)

// defaultNetworks fills a cluster's network defaults. It runs after
// defaultWorkloads: a network's namespace defaults to the workloads one.
func defaultNetworks(c *Cluster) {
	for i := range c.Networks {
		n := &c.Networks[i]
		if n.Namespace == "" {
			n.Namespace = c.Workloads.Namespace
		}
		if n.DeviceType == "" {
			n.DeviceType = DefaultDeviceType
		}
		if n.IPAM.Type == "" && n.IPAM.Range != "" {
			n.IPAM.Type = DefaultIPAM
		}
	}
}

// PoolsOf returns the node pools a network is configured on, in the
// cluster's pool order: the pools it names, or every pool when it names none.
// Names of pools that do not exist are skipped; validation reports them.
func (c *Cluster) PoolsOf(n *Network) []*NodePool {
	var out []*NodePool
	for i := range c.NodePools {
		np := &c.NodePools[i]
		if len(n.NodePools) == 0 || containsString(n.NodePools, np.Name) {
			out = append(out, np)
		}
	}
	return out
}

// PrimarySubnet is the subnet of the instance's primary ENI (device 0 of
// card 0), which carries the cluster network; empty when unknown.
func (i *Instance) PrimarySubnet() string {
	if i.SubnetID != "" {
		return i.SubnetID
	}
	for _, eni := range i.NetworkInterfaces {
		if eni.DeviceIndex == 0 && eni.NetworkCardIndex == 0 {
			return eni.SubnetID
		}
	}
	return ""
}

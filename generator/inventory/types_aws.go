package inventory

// Instance is one EC2 instance of a node pool, as discovery found it.
type Instance struct {
	ID               string `json:"id"`
	InstanceType     string `json:"instanceType,omitempty"`
	AvailabilityZone string `json:"availabilityZone,omitempty"`
	// SubnetID is the subnet of the primary ENI (device index 0), which
	// carries the cluster network and must never be used for SR-IOV.
	SubnetID          string             `json:"subnetID,omitempty"`
	NetworkInterfaces []NetworkInterface `json:"networkInterfaces,omitempty"`
}

// NetworkInterface is an ENI attached to an instance.
type NetworkInterface struct {
	ID          string `json:"id"`
	DeviceIndex int    `json:"deviceIndex"`
	SubnetID    string `json:"subnetID"`
}

// Network is an SR-IOV network backed by secondary ENIs in one subnet: one
// SriovNetworkNodePolicy per pool and one NetworkAttachmentDefinition.
type Network struct {
	// Name is a DNS-1123 label; it names the NetworkAttachmentDefinition.
	Name string `json:"name"`
	// SubnetID is the subnet of the secondary ENIs (subnet-...).
	SubnetID string `json:"subnetID"`
	// NodePools the network is configured on. Default: every pool.
	NodePools []string `json:"nodePools,omitempty"`
	// DeviceType is netdevice (kernel driver) or vfio-pci (DPDK, VM
	// passthrough). Default netdevice.
	DeviceType string `json:"deviceType,omitempty"`
	// Namespace holds the NetworkAttachmentDefinition. Default: the
	// workloads namespace.
	Namespace string `json:"namespace,omitempty"`
	IPAM      IPAM   `json:"ipam,omitempty"`
}

// IPAM is the IP address management of a network's attachments.
type IPAM struct {
	// Type is whereabouts, static or host-local. Default whereabouts.
	Type string `json:"type,omitempty"`
	// Range is the CIDR whereabouts or host-local allocate from.
	Range string `json:"range,omitempty"`
	// Gateway is optional.
	Gateway string `json:"gateway,omitempty"`
}

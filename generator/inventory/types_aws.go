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
	// NetworkCardIndex is the card the ENI is on; instances with several
	// cards number devices per card. The primary ENI is device 0 of card 0.
	NetworkCardIndex int    `json:"networkCardIndex,omitempty"`
	SubnetID         string `json:"subnetID"`
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
	// AvailabilityZone is the subnet's zone, as `lowlat discover` found it.
	// An ENI attaches only to instances in its subnet's zone, so a pool's
	// instances must all be in this zone.
	AvailabilityZone string `json:"availabilityZone,omitempty"`
}

// IPAM is the IP address management of a network's attachments. Without a
// type and a range the attachments get no address from CNI (a vfio-pci
// device has no kernel interface to hold one).
type IPAM struct {
	// Type is whereabouts, static or host-local. Default whereabouts when a
	// range is given. With static, each pod names its addresses in its
	// network selection annotation ("ips").
	Type string `json:"type,omitempty"`
	// Range is the CIDR whereabouts or host-local allocate from.
	Range string `json:"range,omitempty"`
	// Gateway is optional; it must lie in Range.
	Gateway string `json:"gateway,omitempty"`
}

// Discovery narrows which of a cluster's instances belong to a node pool.
// `lowlat discover` maps instances to pools by instance type; two pools of
// one type need tag filters to tell their instances apart.
type Discovery struct {
	// Tags are EC2 tag filters an instance of the pool matches, all of them.
	Tags []TagFilter `json:"tags,omitempty"`
}

// TagFilter matches an EC2 tag: the key exactly, the value against any of
// Values, which may use the EC2 filter wildcards * (any run of characters)
// and ? (one character), as in `aws ec2 describe-instances --filters`.
type TagFilter struct {
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

package sriov

// PCI ids of the Elastic Network Adapter (vendor 1d0f, Amazon), as the Linux
// ena driver's device table lists them.
const (
	ENAVendor = "1d0f"
	ENAPF     = "0ec2"
	ENALLQPF  = "1ec2"
	ENAVF     = "ec20"
	// ENALLQVF is the low-latency-queue VF.
	ENALLQVF = "ec21"
)

// ENANicID is the supported-nic-ids entry (vendor, PF device, VF device) the
// operator releases with the AWS platform ship for ENA. An ENA whose device
// id is not its VF device fails the operator's webhook.
const ENANicID = "Amazon_Elastic_Network_Adapter: \"1d0f ec20 ec20\""

// ENASupported reports whether the operator's default supported-nic-ids
// admits an ENA of this PCI device id as a VF.
func ENASupported(device string) bool { return device == ENAVF }

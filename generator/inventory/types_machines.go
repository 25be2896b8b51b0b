package inventory

import (
	"time"

	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/lowlat/lowlat/generator/catalog"
)

// Machines are what a cluster's MachineSets create pool nodes with: the
// values only the cluster knows. `lowlat discover` reads them from the
// installer's worker machines and the cluster's subnets; any can be set by
// hand.
type Machines struct {
	// AMI is the RHCOS image (ami-...) the cluster's workers boot.
	AMI string `json:"ami"`
	// InstanceProfile is the workers' IAM instance profile, by name
	// (the installer's is <infraID>-worker-profile).
	InstanceProfile string `json:"instanceProfile"`
	// SecurityGroups are the workers' security groups (sg-...).
	SecurityGroups []string `json:"securityGroups"`
	// Subnets are the private subnets new machines go into, one per zone.
	Subnets []ZoneSubnet `json:"subnets"`
	// Offerings are the zones of the region that offer each pool's
	// instance type (EC2 DescribeInstanceTypeOfferings); a pool may only be
	// placed in those. Without an entry for a type, any zone is accepted.
	Offerings []Offering `json:"offerings,omitempty"`
	// RootVolume is each machine's root EBS volume. Default: the
	// installer's worker volume, 120 GiB gp3, encrypted.
	RootVolume *RootVolume `json:"rootVolume,omitempty"`
	// MetadataService is the instances' metadata service authentication:
	// Required (IMDSv2 only) or Optional. Default: Optional, as the
	// installer's default; discover records what the workers use.
	MetadataService string `json:"metadataService,omitempty"`
	// UserDataSecret holds the Ignition config new workers boot with
	// (openshift-machine-api namespace). Default worker-user-data.
	UserDataSecret string `json:"userDataSecret,omitempty"`
	// CredentialsSecret holds the AWS credentials of the machine API.
	// Default aws-cloud-credentials.
	CredentialsSecret string `json:"credentialsSecret,omitempty"`
}

// ZoneSubnet is the subnet of one availability zone.
type ZoneSubnet struct {
	Zone string `json:"zone"`
	ID   string `json:"id"`
}

// Offering lists the zones that offer an instance type.
type Offering struct {
	InstanceType string   `json:"instanceType"`
	Zones        []string `json:"zones"`
}

// RootVolume is an EBS root volume.
type RootVolume struct {
	// SizeGiB is the volume size in GiB.
	SizeGiB int `json:"sizeGiB,omitempty"`
	// Type is an EBS volume type: gp3, gp2, io1, io2.
	Type string `json:"type,omitempty"`
	// IOPS for io1, io2 and gp3 (0: the type's default).
	IOPS int `json:"iops,omitempty"`
	// Encrypted, with the account's default KMS key. Default true.
	Encrypted *bool `json:"encrypted,omitempty"`
}

// Taint is a Kubernetes node taint the pool's nodes get from their
// MachineSet.
type Taint struct {
	Key    string `json:"key"`
	Value  string `json:"value,omitempty"`
	Effect string `json:"effect"`
}

// Defaults of the machines block: the installer's for workers.
const (
	DefaultRootVolumeGiB     = 120
	DefaultRootVolumeType    = "gp3"
	DefaultUserDataSecret    = "worker-user-data"
	DefaultCredentialsSecret = "aws-cloud-credentials"
	DefaultMetadataService   = "Optional"
)

// Enumerations of the machines fields.
var (
	MetadataServices = []string{"Optional", "Required"}
	VolumeTypes      = []string{"gp2", "gp3", "io1", "io2"}
	TaintEffects     = []string{"NoExecute", "NoSchedule", "PreferNoSchedule"}
)

// CanaryPools are the cluster's pools with a canary, in order.
func (c *Cluster) CanaryPools() []*NodePool {
	var out []*NodePool
	for i := range c.NodePools {
		if c.NodePools[i].Canary {
			out = append(out, &c.NodePools[i])
		}
	}
	return out
}

// CanaryRole is the node role of the pool's canary: its MachineConfigPool's
// name and the node-role.kubernetes.io/ label of its node.
func (np *NodePool) CanaryRole() string { return np.NodeRole + "-canary" }

// CanaryRoleMax is the longest node role a pool with a canary may have: the
// canary's re-test Jobs are named canary-<role>-<10 hex digits>, and a Job
// name is a label value on its pods (63 characters).
const CanaryRoleMax = 63 - len("canary-") - len("-") - 10

// Batch is how many nodes the Machine Config Operator takes at once for a
// new config: maxUnavailable scaled to the pool as the operator scales it
// (machine-config-operator pkg/controller/node getMaxUnavailable: a
// percentage rounds down, and at least one node). A pool with a canary
// has one node fewer: the canary is a pool of its own.
func (np *NodePool) Batch() int {
	if np.MaxUnavailable == nil {
		return 1
	}
	nodes := np.Replicas
	if np.Canary {
		nodes--
	}
	n, err := intstr.GetScaledValueFromIntOrPercent(&np.MaxUnavailable.IntOrString, nodes, false)
	if err != nil {
		return 1
	}
	return max(n, 1)
}

// RolloutEstimate is how long a new tuning takes to reach every node of
// the pool at catalog.NodeRollout's pace, through its canary if it has
// one (whose controller passes every pass).
func (np *NodePool) RolloutEstimate(pass time.Duration) time.Duration {
	if np.Canary {
		return catalog.CanaryRolloutTime(np.Replicas-1, np.Batch(), pass)
	}
	return catalog.RolloutTime(np.Replicas, np.Batch())
}

// HasMachineSets reports whether lowlat renders the pool's MachineSets.
func (np *NodePool) HasMachineSets() bool { return np.MachineSet == nil || *np.MachineSet }

// Subnet is the machines' subnet in zone, "" when none is known.
func (m *Machines) Subnet(zone string) string {
	for _, s := range m.Subnets {
		if s.Zone == zone {
			return s.ID
		}
	}
	return ""
}

// ZoneReplicas spreads the pool's replicas over its zones, in order: each
// zone gets as many as the others, the first ones one more when they do
// not divide evenly.
func (np *NodePool) ZoneReplicas() []int {
	out := make([]int, len(np.Zones))
	for i := range out {
		out[i] = np.Replicas / len(out)
		if i < np.Replicas%len(out) {
			out[i]++
		}
	}
	return out
}

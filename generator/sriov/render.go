package sriov

import (
	"fmt"
	"strings"

	"github.com/lowlat/lowlat/generator/inventory"
	"github.com/lowlat/lowlat/generator/kube"
	"github.com/lowlat/lowlat/generator/manifest"
	"github.com/lowlat/lowlat/generator/operators"
	"github.com/lowlat/lowlat/generator/tuning"
)

// Facts of the SR-IOV Network Operator the objects depend on.
const (
	// ResourcePrefix is the operator's default resourcePrefix on OpenShift:
	// a policy's resource appears on nodes as openshift.io/<resourceName>.
	ResourcePrefix = "openshift.io"
	// ResourceNameAnnotation tells Multus which device plugin resource a
	// NetworkAttachmentDefinition needs; the SR-IOV network resources
	// injector adds the matching resource request to pods that use it.
	ResourceNameAnnotation = "k8s.v1.cni.cncf.io/resourceName"
	// PolicyPriority only matters when two policies select the same
	// interface on one node. lowlat's never do (one subnet per network and
	// pool), so a middle value leaves room above and below for hand-written
	// policies. The CRD allows 0 (highest) to 99 (lowest).
	PolicyPriority = 50
	// vfsPerENI is 1: an ENI is already a VF, and the operator's AWS
	// platform refuses more than one VF per interface.
	vfsPerENI = 1
	// netFilterPrefix is what the operator's AWS platform puts before a
	// subnet ID without its "subnet-" prefix. Matching is exact.
	netFilterPrefix = "aws/NetworkID:"
)

// ResourceName is the device plugin resource name of a network. The
// operator's webhook accepts only [a-zA-Z0-9_]; network names are DNS-1123
// labels, so mapping "-" to "_" keeps distinct names distinct.
func ResourceName(network string) string { return strings.ReplaceAll(network, "-", "_") }

// NetFilter selects the ENA interfaces in a subnet: the operator strips the
// "subnet-" prefix from the subnet ID it reads from the metadata service.
func NetFilter(subnetID string) string {
	return netFilterPrefix + strings.TrimPrefix(subnetID, "subnet-")
}

// PolicyName names the policy of a network on a pool.
func PolicyName(np *inventory.NodePool, n *inventory.Network) string { return np.Name + "-" + n.Name }

// PolicyFor renders the policy that turns the pool's ENIs in the network's
// subnet into VFs of the network's resource.
//
// No supported-nic-ids entry is rendered for ENA: the operator releases with
// the AWS platform ship Amazon_Elastic_Network_Adapter "1d0f ec20 ec20" in
// their default list, and one without the AWS platform cannot use these
// policies whatever the list says (the inventory refuses networks there).
func PolicyFor(np *inventory.NodePool, n *inventory.Network) SriovNetworkNodePolicy {
	return SriovNetworkNodePolicy{
		TypeMeta: kube.TypeMeta{APIVersion: "sriovnetwork.openshift.io/v1", Kind: "SriovNetworkNodePolicy"},
		Metadata: kube.ObjectMeta{Name: PolicyName(np, n), Namespace: operators.SRIOV.Namespace, Labels: kube.Labels(nil)},
		Spec: PolicySpec{
			ResourceName: ResourceName(n.Name),
			NodeSelector: tuning.NodeSelector(np),
			Priority:     PolicyPriority,
			NumVfs:       vfsPerENI,
			NicSelector:  NicSelector{NetFilter: NetFilter(n.SubnetID)},
			DeviceType:   n.DeviceType,
			// RDMA needs a NIC that offers it; ENA does not.
			IsRdma: false,
		},
	}
}

// PolicyComments say which subnet a policy's netFilter names, and how many
// interfaces it finds there on each of the pool's nodes.
func PolicyComments(np *inventory.NodePool, n *inventory.Network) []manifest.Comment {
	where := ""
	if n.AvailabilityZone != "" {
		where = " in " + n.AvailabilityZone
	}
	text := fmt.Sprintf("%s%s, network %s: the operator's AWS platform names an interface's subnet without \"subnet-\"", n.SubnetID, where, n.Name)
	if count, ok := VFsPerNode(np, n); ok && len(np.Instances) > 0 {
		text += fmt.Sprintf("\n%s of each of %s's discovered instances %s in it: one VF each (numVfs %d), resource openshift.io/%s",
			counted(count, "ENI", "ENIs"), np.Name, isAre(count), vfsPerENI, ResourceName(n.Name))
	}
	return []manifest.Comment{{Path: []string{"spec", "nicSelector", "netFilter"}, Text: text}}
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// counted is n with its noun in the singular or the plural.
func counted(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// NetworkAttachmentDefinitionFor renders the attachment pods and VMs name to
// get a VF of the network.
func NetworkAttachmentDefinitionFor(n *inventory.Network) (NetworkAttachmentDefinition, error) {
	config, err := CNIConfig(n)
	if err != nil {
		return NetworkAttachmentDefinition{}, err
	}
	return NetworkAttachmentDefinition{
		TypeMeta: kube.TypeMeta{APIVersion: "k8s.cni.cncf.io/v1", Kind: "NetworkAttachmentDefinition"},
		Metadata: kube.ObjectMeta{
			Name:        n.Name,
			Namespace:   n.Namespace,
			Labels:      kube.Labels(nil),
			Annotations: map[string]string{ResourceNameAnnotation: ResourcePrefix + "/" + ResourceName(n.Name)},
		},
		Spec: NADSpec{Config: config},
	}, nil
}

// Objects renders a validated cluster's networks: the policies, pool by
// pool in the inventory's order, then one NetworkAttachmentDefinition per
// network.
func Objects(c *inventory.Cluster) ([]any, error) {
	var objs []any
	for i := range c.NodePools {
		np := &c.NodePools[i]
		for j := range c.Networks {
			n := &c.Networks[j]
			if OnPool(c, n, np) {
				objs = append(objs, manifest.Commented{Object: PolicyFor(np, n), Comments: PolicyComments(np, n)})
			}
		}
	}
	for i := range c.Networks {
		nad, err := NetworkAttachmentDefinitionFor(&c.Networks[i])
		if err != nil {
			return nil, err
		}
		objs = append(objs, nad)
	}
	return objs, nil
}

// OnPool reports whether network n is configured on pool np.
func OnPool(c *inventory.Cluster, n *inventory.Network, np *inventory.NodePool) bool {
	for _, q := range c.PoolsOf(n) {
		if q == np {
			return true
		}
	}
	return false
}

// VFsPerNode is how many VFs of network n each node of pool np advertises:
// as many as the pool's instances have ENIs in the network's subnet (one
// when the inventory lists no instances). ok is false when the instances
// differ, or have none there: then there is no one count to wait for.
func VFsPerNode(np *inventory.NodePool, n *inventory.Network) (count int, ok bool) {
	if len(np.Instances) == 0 {
		return 1, true
	}
	count = -1
	for _, in := range np.Instances {
		k := 0
		for _, eni := range in.NetworkInterfaces {
			if eni.SubnetID == n.SubnetID {
				k++
			}
		}
		if count >= 0 && k != count {
			return 0, false
		}
		count = k
	}
	return count, count > 0
}

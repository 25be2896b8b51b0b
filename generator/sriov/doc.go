// Package sriov renders the SR-IOV networks of a cluster on AWS: per node
// pool and network a SriovNetworkNodePolicy (sriovnetwork.openshift.io/v1)
// that turns the pool's ENIs in the network's subnet into one VF resource,
// and per network a NetworkAttachmentDefinition (k8s.cni.cncf.io/v1) that
// hands that resource to pods and VMs through the host-device CNI plugin.
//
// On EC2 every ENI of a metal instance is one ENA virtual function; there is
// no physical function to carve VFs from. The operator's AWS platform names
// each ENA interface by its subnet (aws/NetworkID:<id>), so a policy selects
// interfaces with nicSelector.netFilter alone and asks for one VF each.
//
// The types are small structs with the JSON tags of the upstream CRDs
// (github.com/k8snetworkplumbingwg/sriov-network-operator api/v1 and the
// network-attachment-definition-client) instead of imports of those modules:
// the operator's module brings controller-runtime and most of Kubernetes for
// eight fields. Tests check every object against the upstream CRD schemas.
package sriov

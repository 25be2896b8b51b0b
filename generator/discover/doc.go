// Package discover asks the EC2 API which instances, instance types, network
// interfaces and subnets an OpenShift cluster on AWS has, and writes the
// answers into the inventory: each node pool's instances with their ENIs,
// and each SR-IOV network's availability zone. SR-IOV policies can then name
// real subnets, and validation can refuse a network that would take over a
// primary ENI or sit in another zone than its nodes.
//
// Instances are found by the kubernetes.io/cluster/<infraID> tag the
// OpenShift installer and machine API put on every instance of a cluster,
// and mapped to pools by instance type, narrowed by each pool's tag filters
// where two pools share a type. Discovered shapes are checked against the
// catalog. The inventory file is edited in place (comments and field order
// kept) with kyaml, and replaced atomically.
//
// PlanENIs and ApplyPlan (lowlat aws ensure-enis) are its one writer: they
// give each instance of an SR-IOV pool an ENI in each of its networks'
// subnets, touching only the ENIs they tagged themselves.
package discover

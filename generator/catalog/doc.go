// Package catalog holds the pinned facts from outside lowlat: EC2 metal
// instance types (CPUs, cores, sockets, memory, networking) as one embedded
// table, metal.csv, from which it derives the CPU topology a type's nodes
// are assumed to have; the OLM channel of each operator per OpenShift
// release (releases.go); and which releases' SR-IOV Network Operator has
// the AWS platform (sriov_aws.go).
package catalog

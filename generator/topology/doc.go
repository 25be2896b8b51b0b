// Package topology models a host's logical processors grouped into cores,
// sockets and NUMA nodes, reads that model from `lscpu -p` output, and splits
// it into the reserved, isolated and offlined CPU sets of a PerformanceProfile
// the way OpenShift's Performance Profile Creator does, without its known
// defects.
package topology

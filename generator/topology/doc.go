// Package topology models a host's logical processors grouped into cores,
// sockets and NUMA nodes, reads that model from `lscpu -p` output, and splits
// it into the reserved, isolated and offlined CPU sets of a PerformanceProfile
// the way OpenShift's Performance Profile Creator does, without its known
// defects.
//
// CPU sets are Linux cpulists ("0-3,8,10-11"), the format of sysfs and of a
// PerformanceProfile's spec.cpu fields.
package topology

// Package advise decides, from what a workload needs, where it runs and how
// it is tuned: container or VM, which node pool, and which knobs (dedicated
// CPUs, emulator thread, hugepages, SR-IOV, I/O threads, busy polling).
//
// It is pure: a workload's needs, its explicit settings and the cluster's
// pools in, one Advice out, each decision with its reason and whether it was
// derived or set explicitly. The inventory applies the advice and reports
// its problems with field path and line; lowlat advise prints it.
package advise

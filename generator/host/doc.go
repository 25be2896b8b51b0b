// Package host reads what lowlat knows of one machine's CPUs, from any of
// the three sources it has: an `lscpu -p=CPU,CORE,SOCKET,NODE` capture, a
// sysfs snapshot (a must-gather node's sysinfo.tgz, an extracted or live
// sysfs tree), or the layout the catalog assumes for an EC2 instance type.
// It also turns partition settings (an inventory pool's tuning, the flags
// of lowlat cpus) into a topology.Request. The cpus and topology commands
// and the inventory's node pools read hosts only through it.
//
// Captures are read through an fs.FS, so a pool's capture is read the same
// way from disk, from a git revision or from memory.
package host

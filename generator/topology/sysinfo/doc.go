// Package sysinfo reads a host's CPU topology from a sysfs snapshot: the
// sysinfo.tgz that an OpenShift performance must-gather keeps per node, a
// must-gather directory and a node name, or an extracted (or live) sysfs
// tree.
//
// It reads what the Performance Profile Creator reads through its ghw
// snapshot: per CPU, sysfs core_id and physical_package_id and the thread
// siblings, per NUMA node its cpulist, and which CPUs are online. Unlike
// `lscpu -p`, this keeps the physical core ids that decide the order in
// which PPC offlines CPUs inside a socket. An incomplete or inconsistent
// snapshot is an error naming the file at fault; archives are read in
// memory, within Limits, and never extracted.
package sysinfo

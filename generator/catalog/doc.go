// Package catalog holds the facts lowlat needs about EC2 metal instance types
// (CPUs, cores, sockets, memory, networking) as one embedded table, metal.csv,
// and derives from a type the CPU topology its nodes are assumed to have.
package catalog

package topology

// CPU is one logical processor (LP) as the kernel numbers it.
type CPU struct {
	ID     int // logical CPU number (cpuN)
	Core   int // core id; unique together with Socket
	Socket int // physical package id
	Node   int // NUMA node
}

// Topology is every logical processor of one host, sorted by ID.
type Topology struct {
	CPUs []CPU
}

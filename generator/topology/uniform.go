package topology

// Uniform returns a host of identical sockets, one NUMA node per socket,
// numbered the way Linux numbers EC2 Intel metal instances: the first thread
// of socket 0's cores, then of socket 1's, and so on, then every core's second
// thread in the same order. On c5.metal (Uniform(2, 24, 2)) NUMA node 0 is
// therefore 0-23,48-71 and the sibling of CPU n is n+48. Core ids are
// numbered across the host, as lscpu prints them.
//
// It returns the empty Topology, which Validate rejects, when an argument is
// below 1 or the host would have more than MaxCPUs CPUs.
func Uniform(sockets, coresPerSocket, threadsPerCore int) Topology {
	for _, n := range []int{sockets, coresPerSocket, threadsPerCore} {
		if n < 1 || n > MaxCPUs { // bounds each factor so the product cannot overflow
			return Topology{}
		}
	}
	if sockets*coresPerSocket*threadsPerCore > MaxCPUs {
		return Topology{}
	}
	cores := sockets * coresPerSocket
	cpus := make([]CPU, 0, cores*threadsPerCore)
	for thread := range threadsPerCore {
		for core := range cores {
			socket := core / coresPerSocket
			cpus = append(cpus, CPU{ID: thread*cores + core, Core: core, Socket: socket, Node: socket})
		}
	}
	return Topology{CPUs: cpus}
}

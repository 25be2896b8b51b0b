// Package virt renders the low-latency workloads of a cluster: KubeVirt
// VirtualMachines (kubevirt.io/v1) with dedicated CPUs, an isolated emulator
// thread, hugepages with guest NUMA passthrough, optional real-time vCPUs and
// SR-IOV interfaces, and oslat/cyclictest test pods with Guaranteed QoS, the
// pool's runtime class and the CRI-O annotations that keep the host off their
// CPUs.
//
// The types are small structs with the JSON tags of kubevirt.io/api core/v1
// and k8s.io/api core/v1: the generator does not link KubeVirt's API module.
// Tests strictly decode every rendered VM into kubevirt.io/api v1.8.0's
// VirtualMachine and every pod into k8s.io/api's Pod, and check the
// admission rules KubeVirt applies to low-latency VMs.
package virt

package host

import "github.com/lowlat/lowlat/generator/topology"

// Partitioning is how a host's CPUs are to be split, in the terms users
// give it: an inventory pool's tuning, or the flags of lowlat cpus.
type Partitioning struct {
	// Reserved is a count of housekeeping CPUs; ReservedSet, when not
	// empty, a cpulist of them instead.
	Reserved        int
	ReservedSet     string
	SplitAcrossNUMA bool
	Offlined        int
	// DisableHT keeps one logical processor per core (SMT off, nosmt).
	DisableHT bool
	// HighPowerConsumption is the workload hint (PPC's ultra-low-latency
	// power mode): sockets are then never offlined whole.
	HighPowerConsumption bool
}

// Request is the partitioner's request; the error is ReservedSet's, when it
// is not a cpulist.
func (p Partitioning) Request() (topology.Request, error) {
	set, err := topology.ParseCPUSet(p.ReservedSet)
	return topology.Request{
		Reserved:             p.Reserved,
		ReservedSet:          set,
		SplitAcrossNUMA:      p.SplitAcrossNUMA,
		Offlined:             p.Offlined,
		DisableHT:            p.DisableHT,
		HighPowerConsumption: p.HighPowerConsumption,
	}, err
}

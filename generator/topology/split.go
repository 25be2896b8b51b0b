package topology

import (
	"errors"
	"fmt"
)

// Errors of Split. Each is wrapped with the numbers involved and what would
// work instead, so test them with errors.Is.
var (
	ErrNegativeCount = errors.New("negative CPU count")
	// ErrNoReserved: a PerformanceProfile needs a non-empty spec.cpu.reserved.
	ErrNoReserved = errors.New("no reserved CPUs")
	// ErrTooManyReserved: the reserved CPUs would leave no isolated CPU,
	// and NTO's webhook rejects an empty spec.cpu.isolated.
	ErrTooManyReserved = errors.New("too many reserved CPUs")
	// ErrTooManyOfflined: reserved and offlined CPUs would leave no isolated CPU.
	ErrTooManyOfflined = errors.New("too many offlined CPUs")
	// ErrOddReserved carries PPC's own text for an odd count with SMT on.
	ErrOddReserved = errors.New("can't allocate odd number of CPUs from a NUMA Node")
	// ErrSplitTooFew: a split would leave a NUMA node without a reserved
	// core, so the CPUs would not be split at all.
	ErrSplitTooFew = errors.New("too few reserved CPUs to split across NUMA nodes")
	// ErrSplitDoesNotFit: a NUMA node is too small for its share of a split.
	ErrSplitDoesNotFit = errors.New("reserved CPUs do not fit when split across NUMA nodes")
	// ErrReservedSetOutsideHost: an explicit reserved set names CPUs the host
	// does not have, or that DisableHT takes offline.
	ErrReservedSetOutsideHost = errors.New("reserved set has CPUs the host does not have")
	// ErrReservedSetSplitsCore: with SMT on, an explicit reserved set holds
	// some threads of a core but not all.
	ErrReservedSetSplitsCore = errors.New("reserved set splits a core")
)

// Request says how to partition a host's CPUs. The fields mirror the
// Performance Profile Creator's flags --reserved-cpu-count,
// --split-reserved-cpus-across-numa, --offlined-cpu-count, --disable-ht and
// --power-consumption-mode=ultra-low-latency; ReservedSet has no PPC flag.
type Request struct {
	Reserved             int    // count (ignored when ReservedSet non-empty)
	ReservedSet          CPUSet // explicit reserved set; whole cores unless DisableHT
	SplitAcrossNUMA      bool   // applies to Reserved, not to ReservedSet
	Offlined             int
	DisableHT            bool
	HighPowerConsumption bool // affects offlining (PPC does not offline whole sockets in high power consumption mode)
}

// Partition is the CPU part of a PerformanceProfile. Reserved, Isolated and
// Offlined are disjoint and together hold every CPU that takes part.
type Partition struct {
	Reserved, Isolated, Offlined CPUSet
	// Disabled holds the threads other than the first of each core when the
	// request disabled hyper-threading. They are in no other set: the profile
	// must add the nosmt kernel argument, which keeps them offline, as PPC's
	// --disable-ht does.
	Disabled CPUSet
}

// Split partitions t's CPUs into reserved, isolated and offlined sets the
// way OpenShift's Performance Profile Creator (4.19+) does.
//
// Reserved CPUs are taken NUMA node by NUMA node in id order, a node's cores
// by their lowest CPU, every thread of a core before the next core. Offlined
// CPUs are taken from sockets in id order and, inside a socket, from cores in
// core id order: first whole sockets that hold no reserved CPU (unless
// HighPowerConsumption), then the second threads of cores, then any CPU that
// is not reserved. Isolated is what remains. With DisableHT only the first
// thread of each core takes part; the rest go to Partition.Disabled.
//
// Unlike PPC, SplitAcrossNUMA reserves exactly the count asked on any number
// of NUMA nodes: whole cores (pairs of threads with SMT on) are shared out
// evenly and the remainder goes to the lowest-numbered nodes, so 6 CPUs on a
// 2-node SMT host are 4 on node 0 and 2 on node 1. As PPC does, it refuses a
// count too small to give every node a whole core (2 on that host).
func Split(t Topology, r Request) (Partition, error) {
	if err := t.Validate(); err != nil {
		return Partition{}, err
	}
	if r.Reserved < 0 || r.Offlined < 0 {
		return Partition{}, fmt.Errorf("%w: reserved %d, offlined %d; counts start at 0", ErrNegativeCount, r.Reserved, r.Offlined)
	}
	h := newHost(t, r.DisableHT)
	reserved, err := h.reserve(r)
	if err != nil {
		return Partition{}, err
	}
	if err := h.checkOfflined(reserved.Len(), r.Offlined); err != nil {
		return Partition{}, err
	}
	offlined := h.offline(reserved, r.Offlined, r.HighPowerConsumption)
	return Partition{
		Reserved: reserved,
		Isolated: h.all.Difference(reserved).Difference(offlined),
		Offlined: offlined,
		Disabled: h.disabled,
	}, nil
}

// checkOfflined keeps at least one CPU isolated.
func (h *host) checkOfflined(reserved, offlined int) error {
	if limit := h.all.Len() - 1 - reserved; offlined > limit {
		return fmt.Errorf("%w: %d reserved and %d offlined CPUs leave none of the host's %d%s isolated; offline at most %d",
			ErrTooManyOfflined, reserved, offlined, h.all.Len(), h.usableNote(), limit)
	}
	return nil
}

// usableNote explains a CPU count that DisableHT has shrunk.
func (h *host) usableNote() string {
	if h.disabled.IsEmpty() {
		return ""
	}
	return " usable (one per core with hyper-threading disabled)"
}

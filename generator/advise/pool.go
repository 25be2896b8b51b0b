package advise

import (
	"fmt"
	"slices"
	"strings"
)

// requirement is what a need asks of a pool. A hard one excludes the pools
// that fail it; a soft one ranks those that pass, by weight.
type requirement struct {
	attr   Attribute
	hard   bool
	weight int
	what   string // "local NVMe", said of a pool that has it
	has    func(Pool) bool
}

// requirements lists what the workload's needs ask of a pool on platform p.
// High disk needs require the instance store: EBS volumes reach a metal
// instance over the network, sharing its EBS bandwidth, while instance store
// NVMe is on the host's PCIe bus (EC2 guide, "Instance store volumes").
// A high network latency need requires an SR-IOV VF: the seed's first
// mitigation, on EC2 an ENA VF of a secondary ENI (facts: SR-IOV on AWS).
func (d *decider) requirements(p Platform) []requirement {
	var rs []requirement
	add := func(attr Attribute, hardFrom Level, what string, has func(Pool) bool) {
		switch l := d.need(attr); {
		case l >= hardFrom:
			rs = append(rs, requirement{attr: attr, hard: true, what: what, has: has})
		case l >= Medium:
			rs = append(rs, requirement{attr: attr, weight: int(l), what: what, has: has})
		}
	}
	add(DiskLatency, High, "local NVMe", localNVMe)
	add(DiskThroughput, High, "local NVMe", localNVMe)
	add(NetworkLatency, High, "an SR-IOV network", func(pl Pool) bool { return len(sriovFor(pl, p)) > 0 })
	add(Memory, High, "hugepages", func(pl Pool) bool { return len(pl.HugepageSizes) > 0 })
	if d.need(Memory) == High {
		rs = append(rs, requirement{attr: Memory, weight: int(High), what: "1Gi hugepages", has: func(pl Pool) bool { return slices.Contains(pl.HugepageSizes, "1Gi") }})
	}
	if d.need(NetworkThroughput) >= Medium {
		rs = append(rs, requirement{attr: NetworkThroughput, weight: int(d.need(NetworkThroughput)), what: "ENA Express", has: func(pl Pool) bool { return pl.InstanceType.ENAExpress }})
	}
	if p == VM && d.need(LiveMigration) >= Medium {
		rs = append(rs, requirement{attr: LiveMigration, hard: true, what: "two nodes or more to migrate between", has: func(pl Pool) bool { return pl.Replicas >= 2 }})
	}
	if d.need(DiskLatency) < Medium && d.need(DiskThroughput) < Medium {
		// Local NVMe is the scarce hardware: leave it to workloads that need it.
		rs = append(rs, requirement{attr: DiskLatency, weight: -1, what: "local NVMe it would leave unused", has: localNVMe})
	}
	return rs
}

func localNVMe(p Pool) bool { return p.InstanceType.LocalNVMe() }

// sriovFor lists the pool's SR-IOV networks a platform can use: a VM only
// those bound to vfio-pci, which KubeVirt passes through.
func sriovFor(pl Pool, p Platform) []string {
	var out []string
	for _, n := range pl.Networks {
		if p != VM || n.DeviceType == vfioPCI {
			out = append(out, n.Name)
		}
	}
	slices.Sort(out)
	return out
}

// pool chooses the pool, or checks the one set explicitly; nil when none
// serves the needs.
func (d *decider) pool(pools []Pool) *Pool {
	rs := d.requirements(d.a.Platform)
	if name := d.w.Set.Pool; name != "" {
		return d.explicitPool(name, pools, rs)
	}
	var fit []*Pool
	var refused []string
	for i := range pools {
		if miss := missing(pools[i], rs); len(miss) > 0 {
			refused = append(refused, fmt.Sprintf("%s (%s) has no %s", pools[i].Name, pools[i].InstanceType.Name, strings.Join(miss, ", no ")))
			continue
		}
		fit = append(fit, &pools[i])
	}
	if len(fit) == 0 {
		d.problem("needs", fmt.Sprintf("no pool serves the needs of %s %s: %s; add such a pool or network, or lower the needs",
			d.w.Kind, d.w.Name, strings.Join(refused, "; ")))
		return nil
	}
	best := d.rank(fit, rs)
	d.a.Pool = best.Name
	d.reason("pool", best.Name, d.poolWhy(best, fit, rs, refused), Derived)
	return best
}

// missing names the hard requirements a pool fails, with the need behind
// each.
func missing(pl Pool, rs []requirement) []string {
	var out []string
	for _, r := range rs {
		if r.hard && !r.has(pl) {
			out = append(out, fmt.Sprintf("%s (needs.%s)", r.what, r.attr))
		}
	}
	return out
}

// rank orders the pools that pass the hard requirements by the weight of
// the soft ones they meet, then by network bandwidth when throughput is a
// need, then by their order in the inventory.
func (d *decider) rank(fit []*Pool, rs []requirement) *Pool {
	score := func(pl *Pool) int {
		s := 0
		for _, r := range rs {
			if !r.hard && r.has(*pl) {
				s += r.weight
			}
		}
		return s
	}
	best := fit[0]
	for _, pl := range fit[1:] {
		sb, sp := score(best), score(pl)
		if sp > sb || sp == sb && d.need(NetworkThroughput) >= Medium && pl.InstanceType.NetworkGbps > best.InstanceType.NetworkGbps {
			best = pl
		}
	}
	return best
}

func (d *decider) poolWhy(best *Pool, fit []*Pool, rs []requirement, refused []string) string {
	var has []string
	for _, r := range rs {
		if r.has(*best) && r.weight >= 0 {
			has = append(has, fmt.Sprintf("%s (needs.%s)", r.what, r.attr))
		}
	}
	why := fmt.Sprintf("%s, %s, %g Gbps", best.InstanceType.Name, storage(best.InstanceType.NVMeDisks, best.InstanceType.NVMeDiskGB), best.InstanceType.NetworkGbps)
	if len(has) > 0 {
		why += "; has " + strings.Join(has, ", ")
	}
	if len(fit) > 1 {
		why += fmt.Sprintf("; ranked first of %d pools that serve the needs", len(fit))
	}
	if len(refused) > 0 {
		why += "; not " + strings.Join(refused, "; not ")
	}
	return why
}

func storage(disks, gb int) string {
	if disks == 0 {
		return "EBS only"
	}
	return fmt.Sprintf("%d × %d GB local NVMe", disks, gb)
}

// explicitPool checks the pool the inventory names against the hard
// requirements: explicit wins, but not over a need it cannot serve.
func (d *decider) explicitPool(name string, pools []Pool, rs []requirement) *Pool {
	i := slices.IndexFunc(pools, func(p Pool) bool { return p.Name == name })
	if i < 0 {
		return nil // the inventory reports an unknown pool
	}
	pl := &pools[i]
	d.a.Pool = pl.Name
	if miss := missing(*pl, rs); len(miss) > 0 {
		d.problem("nodePool", fmt.Sprintf("pool %s (%s) has no %s, which the needs of %s %s require: choose another pool, or remove nodePool and let lowlat choose, or lower the needs",
			pl.Name, pl.InstanceType.Name, strings.Join(miss, ", no "), d.w.Kind, d.w.Name))
	}
	d.reason("pool", pl.Name, "nodePool set in the inventory; "+fmt.Sprintf("%s, %s, %g Gbps", pl.InstanceType.Name, storage(pl.InstanceType.NVMeDisks, pl.InstanceType.NVMeDiskGB), pl.InstanceType.NetworkGbps), Explicit)
	return pl
}

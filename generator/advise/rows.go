package advise

import "fmt"

// attributeRows adds one row per attribute: its level, what lowlat decided
// for it and why. The knobs and the pool carry the details.
func (d *decider) attributeRows(pl *Pool) {
	for _, at := range Attributes {
		l := d.need(at)
		decision, why := d.row(at, l, pl)
		d.a.Reasons = append(d.a.Reasons, Reason{Attribute: string(at), Level: l.String(), Decision: decision, Reason: why, Source: Derived})
	}
}

func (d *decider) row(at Attribute, l Level, pl *Pool) (string, string) {
	switch at {
	case CPU:
		return d.knobRow(l, Medium, "dedicatedCPUs", "shared CPUs", "no CPU need: the pod shares the pool's CPUs")
	case Memory:
		return d.knobRow(l, Medium, "hugepages", "regular pages", "no memory need: 4 KiB pages")
	case DiskLatency, DiskThroughput:
		return d.diskRow(l)
	case NetworkLatency:
		return d.knobRow(l, Medium, "sriov", "cluster network", "no network latency need: the pod network is enough")
	case NetworkThroughput:
		return d.throughputRow(l, pl)
	case DeploymentSpeed:
		if l >= Medium && d.a.Platform == VM {
			return "vm, slower", "a VM boots a guest before the workload starts; another need asks for a VM"
		}
		return fmt.Sprintf("%s", d.a.Platform), "containers start fastest; the platform row says what decided"
	}
	return d.platformRow(at, l)
}

// knobRow reports the knob a need asked for, or the default below from.
func (d *decider) knobRow(l, from Level, knob, otherwise, why string) (string, string) {
	if k := d.a.Knob(knob); k != nil {
		return knob + ": " + k.Value, k.Reason
	}
	if l >= from {
		return "not served", "the chosen pool has no " + knob + " for this platform; see the pool row"
	}
	return otherwise, why
}

func (d *decider) diskRow(l Level) (string, string) {
	if k := d.a.Knob("localStorage"); k != nil && l >= Medium {
		return "local NVMe", k.Reason
	}
	if l >= Medium {
		return "EBS", "the chosen pool has no instance store; a medium need only prefers one"
	}
	return "EBS", "no disk need beyond what EBS gives"
}

func (d *decider) throughputRow(l Level, pl *Pool) (string, string) {
	if pl == nil {
		return "-", "no pool"
	}
	it := pl.InstanceType
	extra := "no ENA Express"
	if it.ENAExpress {
		extra = "ENA Express available"
	}
	if it.EFA {
		extra += ", EFA available"
	}
	if l < Medium {
		return fmt.Sprintf("%g Gbps", it.NetworkGbps), "no throughput need"
	}
	return fmt.Sprintf("%g Gbps, %s", it.NetworkGbps, extra), "ranks the pools by ENA Express and bandwidth; the seed finds throughput not normally an issue for containers or VMs"
}

func (d *decider) platformRow(at Attribute, l Level) (string, string) {
	for _, v := range vmNeeds {
		if v.attr != at {
			continue
		}
		if l >= v.from {
			return string(VM), v.why
		}
		return "no VM needed", fmt.Sprintf("below %s", v.from)
	}
	return "-", ""
}

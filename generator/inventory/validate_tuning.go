package inventory

import (
	"k8s.io/apimachinery/pkg/util/validation/field"
)

func validateTuningFields(t *Tuning, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if !t.ReservedCPUs.IsSet() && t.ReservedCPUs.Count < 1 {
		errs = append(errs, field.Invalid(p.Child("reservedCPUs"), t.ReservedCPUs.Count,
			"must reserve at least one CPU for housekeeping (a count, or a cpulist such as \"0-1,48-49\")"))
	}
	if t.OfflinedCPUs < 0 {
		errs = append(errs, field.Invalid(p.Child("offlinedCPUs"), t.OfflinedCPUs, "must not be negative"))
	}
	if t.ReservedCPUs.IsSet() && t.SplitReservedAcrossNUMA {
		errs = append(errs, field.Forbidden(p.Child("splitReservedAcrossNUMA"),
			"applies to a reserved count; an explicit reservedCPUs set already says where each CPU is"))
	}
	errs = append(errs, oneOf(p.Child("topologyPolicy"), t.TopologyPolicy, TopologyPolicies)...)
	// The Performance Profile Creator refuses this pair ("not appropriate to
	// split reserved CPUs in case of topology-manager-policy:
	// single-numa-node", profilecreator/cmd/root.go): a pod confined to one
	// NUMA node cannot use housekeeping CPUs spread over all of them.
	if t.SplitReservedAcrossNUMA && t.TopologyPolicy == "single-numa-node" {
		errs = append(errs, field.Forbidden(p.Child("splitReservedAcrossNUMA"),
			"not appropriate with topologyPolicy single-numa-node; use restricted or best-effort, or do not split"))
	}
	errs = append(errs, validateHugepageFields(t, p)...)
	errs = append(errs, validateHints(t.WorkloadHints, p.Child("workloadHints"))...)
	return append(errs, validateKernelArgs(t.AdditionalKernelArgs, p.Child("additionalKernelArgs"))...)
}

func validateHugepageFields(t *Tuning, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if t.DefaultHugepagesSize != "" {
		errs = append(errs, oneOf(p.Child("defaultHugepagesSize"), t.DefaultHugepagesSize, HugepageSizes)...)
	}
	type key struct {
		size string
		node int
	}
	seen := map[key]bool{}
	for i, hp := range t.Hugepages {
		hpp := p.Child("hugepages").Index(i)
		errs = append(errs, oneOf(hpp.Child("size"), hp.Size, HugepageSizes)...)
		if hp.Count < 1 {
			errs = append(errs, field.Invalid(hpp.Child("count"), hp.Count, "must be at least 1"))
		}
		if hp.Node != nil && *hp.Node < 0 {
			errs = append(errs, field.Invalid(hpp.Child("node"), *hp.Node, "must not be negative"))
		}
		k := key{hp.Size, nodeOrAll(hp.Node)}
		if seen[k] {
			errs = append(errs, field.Duplicate(hpp, hp.Size+" pages on the same NUMA node are listed twice; add the counts"))
		}
		seen[k] = true
	}
	return errs
}

func nodeOrAll(n *int) int {
	if n == nil {
		return -1
	}
	return *n
}

func validateHints(h *WorkloadHints, p *field.Path) field.ErrorList {
	// The Node Tuning Operator's webhook refuses this pair: per-pod power
	// management lowers C-states that high power consumption disables.
	if h.HighPowerConsumption && h.PerPodPowerManagement {
		return fieldErr(field.Forbidden(p.Child("perPodPowerManagement"),
			"cannot be combined with highPowerConsumption; choose one"))
	}
	return nil
}

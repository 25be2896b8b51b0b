package inventory

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Measurements lowlat configures, and what kube-burner v2.7.3 accepts in
// their thresholds (pkg/measurements: supportedPodConditions,
// supportedVMIConditions and supportedLatencyMetricsMap). kube-burner rejects
// anything else when the job starts; lowlat rejects it before a render.
const (
	MeasurementPodLatency = "podLatency"
	MeasurementVMILatency = "vmiLatency"
)

var (
	Measurements        = []string{MeasurementPodLatency, MeasurementVMILatency}
	ThresholdConditions = map[string][]string{
		MeasurementPodLatency: {"ContainersReady", "Initialized", "PodScheduled", "Ready"},
		MeasurementVMILatency: {"VMIPending", "VMIRunning", "VMIScheduled", "VMIScheduling"},
	}
	ThresholdMetrics = []string{"Avg", "Max", "P50", "P95", "P99"}
)

func validatePerfTests(c *Cluster, p *field.Path) field.ErrorList {
	pt := c.PerfTests
	if pt == nil {
		return nil
	}
	errs := dnsLabel(p.Child("namespace"), pt.Namespace)
	if pt.Namespace == c.Workloads.Namespace && len(c.Workloads.Pods) > 0 {
		// Each namespace with runs has its own run scripts and retention
		// pass, synced by its own Application.
		errs = append(errs, field.Invalid(p.Child("namespace"), pt.Namespace, "the latency tests run in "+pt.Namespace+" (workloads.namespace); give the perf tests a namespace of their own"))
	}
	_, poolErrs := poolOf(c, pt.NodePool, p.Child("nodePool"))
	errs = append(errs, poolErrs...)
	errs = append(errs, nonNegative(p.Child("podDensity"), pt.PodDensity)...)
	errs = append(errs, nonNegative(p.Child("vmiLatency"), pt.VMILatency)...)
	if pt.PodDensity == 0 && pt.VMILatency == 0 {
		errs = append(errs, field.Required(p.Child("podDensity"), "set podDensity or vmiLatency (or both), or remove perfTests"))
	}
	errs = append(errs, validateVMTemplate(c, pt, p)...)
	errs = append(errs, atLeastOne(p.Child("keepRuns"), pt.KeepRuns)...)
	errs = append(errs, atLeastOne(p.Child("keepResults"), pt.KeepResults)...)
	for i := range pt.Thresholds {
		errs = append(errs, validateThreshold(pt, &pt.Thresholds[i], p.Child("thresholds").Index(i))...)
	}
	return errs
}

// atLeastOne refuses a retention count below one: the current run and its
// results always stay.
func atLeastOne(p *field.Path, n int) field.ErrorList {
	if n < 1 {
		return fieldErr(field.Invalid(p, n, "must be at least 1: the current run always stays"))
	}
	return nil
}

func nonNegative(p *field.Path, n int) field.ErrorList {
	if n < 0 {
		return fieldErr(field.Invalid(p, n, "must not be negative"))
	}
	return nil
}

// validateVMTemplate checks the VM the vmi-latency job copies. The job's VMs
// keep the template's pool (and so its runtime class, which is
// cluster-wide), so that pool must be the one the perf tests target.
func validateVMTemplate(c *Cluster, pt *PerfTests, p *field.Path) field.ErrorList {
	tp := p.Child("vmTemplate")
	switch {
	case pt.VMILatency == 0 && pt.VMTemplate != "":
		return fieldErr(field.Forbidden(tp, "is only used by vmiLatency, which is 0"))
	case pt.VMILatency == 0:
		return nil
	case pt.VMTemplate == "":
		return fieldErr(field.Required(tp, "name the workloads VM whose shape the vmi-latency job starts"))
	}
	vm := c.VM(pt.VMTemplate)
	if vm == nil {
		return fieldErr(field.NotFound(tp, pt.VMTemplate))
	}
	if vm.NodePool != pt.NodePool {
		return fieldErr(field.Invalid(tp, pt.VMTemplate, fmt.Sprintf(
			"VM %s runs on pool %s, but the perf tests target pool %s", vm.Name, vm.NodePool, pt.NodePool)))
	}
	return nil
}

// VM returns the cluster's workloads VM of that name, or nil.
func (c *Cluster) VM(name string) *VM {
	for i := range c.Workloads.VMs {
		if c.Workloads.VMs[i].Name == name {
			return &c.Workloads.VMs[i]
		}
	}
	return nil
}

func validateThreshold(pt *PerfTests, th *Threshold, p *field.Path) field.ErrorList {
	errs := oneOf(p.Child("measurement"), th.Measurement, Measurements)
	if conds, ok := ThresholdConditions[th.Measurement]; ok {
		errs = append(errs, oneOf(p.Child("conditionType"), th.ConditionType, conds)...)
	}
	if (th.Measurement == MeasurementPodLatency && pt.PodDensity == 0) ||
		(th.Measurement == MeasurementVMILatency && pt.VMILatency == 0) {
		errs = append(errs, field.Invalid(p.Child("measurement"), th.Measurement,
			"no job takes this measurement: its job (podDensity or vmiLatency) is 0"))
	}
	errs = append(errs, oneOf(p.Child("metric"), th.Metric, ThresholdMetrics)...)
	return append(errs, positiveDuration(p.Child("threshold"), th.Threshold)...)
}

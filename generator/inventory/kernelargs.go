package inventory

import (
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// impliedKernelArgs are the kernel arguments the Node Tuning Operator already
// puts on a tuned node, keyed by argument name, with the reason. Repeating
// them in additionalKernelArgs either duplicates or contradicts the operator.
// Source: the tuned profiles NTO renders for a PerformanceProfile
// (assets/performanceprofile/tuned in cluster-node-tuning-operator).
var impliedKernelArgs = map[string]string{
	"nohz":                 "always set by the Node Tuning Operator",
	"nohz_full":            "always set to the isolated CPUs",
	"rcu_nocbs":            "always set to the isolated CPUs",
	"isolcpus":             "always set (managed_irq) by the Node Tuning Operator",
	"skew_tick":            "always set by the Node Tuning Operator",
	"hugepagesz":           "rendered from tuning.hugepages",
	"hugepages":            "rendered from tuning.hugepages",
	"default_hugepagesz":   "rendered from tuning.defaultHugepagesSize",
	"nosmt":                "rendered from tuning.smt: false",
	"nosoftlockup":         "implied by workloadHints.realTime",
	"rcutree.kthread_prio": "implied by workloadHints.realTime",
	"tsc":                  "implied by workloadHints.realTime (tsc=reliable)",
	"nmi_watchdog":         "implied by workloadHints.realTime",
	"mce":                  "implied by workloadHints.realTime",
	"idle":                 "implied by workloadHints.highPowerConsumption with realTime (idle=poll)",
}

func validateKernelArgs(args []string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, arg := range args {
		name, _, _ := strings.Cut(arg, "=")
		if why, implied := impliedKernelArgs[name]; implied {
			errs = append(errs, field.Invalid(p.Index(i), arg, "remove it: "+why))
		}
		if strings.TrimSpace(arg) != arg || arg == "" || strings.ContainsAny(arg, " \t\n") {
			errs = append(errs, field.Invalid(p.Index(i), arg, "must be one kernel argument without spaces"))
		}
	}
	return errs
}

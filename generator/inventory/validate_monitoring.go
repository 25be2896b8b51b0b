package inventory

import (
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// validateMonitoring checks the namespace lowlat creates for the cluster's
// alerts. It carries openshift.io/cluster-monitoring, which makes the
// platform Prometheus read every rule and monitor in it, so it holds
// nothing else of lowlat's, and it is not one of the platform's own.
func validateMonitoring(c *Cluster, p *field.Path) field.ErrorList {
	m := c.Monitoring
	if !m.On() {
		return nil
	}
	np := p.Child("monitoring", "namespace")
	errs := dnsLabel(np, m.Namespace)
	switch {
	case strings.HasPrefix(m.Namespace, "openshift-") || strings.HasPrefix(m.Namespace, "kube-") || m.Namespace == "default":
		errs = append(errs, field.Invalid(np, m.Namespace, "is the platform's; give lowlat's alerts a namespace of their own, such as "+DefaultMonitoringNamespace))
	case m.Namespace == c.Workloads.Namespace:
		errs = append(errs, field.Invalid(np, m.Namespace, "is workloads.namespace; the platform Prometheus would scrape the workloads' monitors too: give the alerts a namespace of their own"))
	case c.PerfTests != nil && m.Namespace == c.PerfTests.Namespace:
		errs = append(errs, field.Invalid(np, m.Namespace, "is perfTests.namespace, the perf runs'; give the alerts a namespace of their own"))
	}
	return errs
}

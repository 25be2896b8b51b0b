package inventory

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Enumerations of the fields that take one of a few values.
var (
	// TopologyPolicies are the kubelet topology manager policies the Node
	// Tuning Operator's webhook accepts (the CRD itself has no enum).
	TopologyPolicies = []string{"best-effort", "none", "restricted", "single-numa-node"}
	// HugepageSizes are the PerformanceProfile hugepage sizes on x86_64.
	HugepageSizes = []string{"1G", "2M"}
	// reservedRoles name the MachineConfigPools every cluster already has.
	reservedRoles = map[string]bool{"master": true, "worker": true, "arbiter": true}
)

var (
	openshiftVersion = regexp.MustCompile(`^4\.[0-9]{1,2}$`)
	awsRegion        = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
)

// Validate checks a defaulted inventory's fields, each on its own and
// against the others; what needs the pools' hardware is Resolve's. It
// returns every problem found.
func Validate(inv *Inventory) field.ErrorList {
	var errs field.ErrorList
	if inv.APIVersion != APIVersion {
		errs = append(errs, field.NotSupported(field.NewPath("apiVersion"), inv.APIVersion, []string{APIVersion}))
	}
	if inv.Kind != Kind {
		errs = append(errs, field.NotSupported(field.NewPath("kind"), inv.Kind, []string{Kind}))
	}
	errs = append(errs, dnsLabel(field.NewPath("metadata", "name"), inv.Metadata.Name)...)
	return append(errs, validateSpec(&inv.Spec, field.NewPath("spec"), inv.clustersElsewhere)...)
}

func validateSpec(s *Spec, p *field.Path, clustersElsewhere bool) field.ErrorList {
	var errs field.ErrorList
	if !openshiftVersion.MatchString(s.OpenShift.Version) {
		errs = append(errs, field.Invalid(p.Child("openshift", "version"), s.OpenShift.Version, `must be "4.<minor>", e.g. "4.20"`))
	}
	errs = append(errs, validateRelease(s.OpenShift.Version, p.Child("openshift", "version"))...)
	if len(s.Clusters) == 0 && !clustersElsewhere {
		errs = append(errs, field.Required(p.Child("clusters"), "list at least one cluster"))
	}
	names := uniqueNames{}
	for i := range s.Clusters {
		cp := p.Child("clusters").Index(i)
		errs = append(errs, names.add(cp.Child("name"), s.Clusters[i].Name)...)
		errs = append(errs, validateCluster(&s.Clusters[i], cp)...)
		errs = append(errs, validateSRIOVRelease(s.OpenShift.Version, &s.Clusters[i], cp)...)
	}
	errs = append(errs, validateGitOps(s, p)...)
	return errs
}

func validateCluster(c *Cluster, p *field.Path) field.ErrorList {
	errs := dnsLabel(p.Child("name"), c.Name)
	if !awsRegion.MatchString(c.Region) {
		errs = append(errs, field.Invalid(p.Child("region"), c.Region, "must be an AWS region such as us-east-2"))
	}
	if len(c.NodePools) == 0 {
		errs = append(errs, field.Required(p.Child("nodePools"), "list at least one node pool"))
	}
	names, roles := uniqueNames{}, uniqueNames{}
	for i := range c.NodePools {
		pp := p.Child("nodePools").Index(i)
		errs = append(errs, names.add(pp.Child("name"), c.NodePools[i].Name)...)
		errs = append(errs, roles.add(pp.Child("nodeRole"), c.NodePools[i].NodeRole)...)
		errs = append(errs, validatePool(&c.NodePools[i], pp)...)
	}
	errs = append(errs, validateWorkloads(c, p)...)
	errs = append(errs, validateNetworks(c, p)...)
	errs = append(errs, validateCanaries(c, p)...)
	errs = append(errs, validateMonitoring(c, p)...)
	errs = append(errs, validateAcknowledged(c.AcknowledgedWarnings, p.Child("acknowledgedWarnings"))...)
	return append(errs, validateMachines(c, p)...)
}

func validatePool(np *NodePool, p *field.Path) field.ErrorList {
	errs := dnsLabel(p.Child("name"), np.Name)
	errs = append(errs, dnsLabel(p.Child("nodeRole"), np.NodeRole)...)
	if reservedRoles[np.NodeRole] {
		errs = append(errs, field.Invalid(p.Child("nodeRole"), np.NodeRole,
			"names a MachineConfigPool every cluster already has; tuned nodes need a role of their own"))
	}
	if np.Replicas < 1 {
		errs = append(errs, field.Invalid(p.Child("replicas"), np.Replicas, "must be at least 1"))
	}
	errs = append(errs, validateMaxUnavailable(np.MaxUnavailable, p.Child("maxUnavailable"))...)
	return append(errs, validateTuningFields(&np.Tuning, p.Child("tuning"))...)
}

// validateMaxUnavailable accepts what the Machine Config Operator scales
// against the pool's size: at least one node, or 1% to 100%.
func validateMaxUnavailable(v *NodeCount, p *field.Path) field.ErrorList {
	switch {
	case v == nil:
		return nil
	case v.Type == intstr.Int && v.IntVal < 1:
		return fieldErr(field.Invalid(p, v.IntVal, "must be at least 1 node (the Machine Config Operator would roll out one at a time anyway)"))
	case v.Type == intstr.String:
		pct, err := strconv.Atoi(strings.TrimSuffix(v.StrVal, "%"))
		if !strings.HasSuffix(v.StrVal, "%") || err != nil || pct < 1 || pct > 100 {
			return fieldErr(field.Invalid(p, v.StrVal, `must be a number of nodes or a percentage from "1%" to "100%"`))
		}
	}
	return nil
}

// dnsLabel checks a name that becomes a directory and a Kubernetes name: a
// DNS-1123 label cannot contain "/" or "..", so it cannot escape a directory.
func dnsLabel(p *field.Path, name string) field.ErrorList {
	if name == "" {
		return fieldErr(field.Required(p, "must be a DNS-1123 label such as lab1"))
	}
	var errs field.ErrorList
	for _, msg := range validation.IsDNS1123Label(name) {
		errs = append(errs, field.Invalid(p, name, msg))
	}
	return errs
}

// uniqueNames reports a name used twice in one list.
type uniqueNames map[string]string

func (u uniqueNames) add(p *field.Path, name string) field.ErrorList {
	if name == "" {
		return nil
	}
	if first, dup := u[name]; dup {
		return fieldErr(field.Duplicate(p, fmt.Sprintf("%s (also %s)", name, first)))
	}
	u[name] = p.String()
	return nil
}

func oneOf(p *field.Path, value string, allowed []string) field.ErrorList {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return fieldErr(field.NotSupported(p, value, allowed))
}

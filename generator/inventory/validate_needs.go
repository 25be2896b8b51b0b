package inventory

import (
	"fmt"
	"slices"
	"strconv"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/lowlat/lowlat/generator/advise"
)

// Platforms an app may name.
var Platforms = []string{string(advise.Container), string(advise.VM)}

// validateNeeds checks each level, suggesting the nearest for a misspelt
// one. Unknown attributes are the strict decoder's to report.
func validateNeeds(n *Needs, p *field.Path) field.ErrorList {
	if n == nil {
		return nil
	}
	var errs field.ErrorList
	for _, at := range advise.Attributes {
		s := n.levels()[at]
		if _, err := advise.ParseLevel(s); err != nil {
			errs = append(errs, field.Invalid(p.Child(string(at)), s, "unknown level; "+nearestLevel(s)))
		}
	}
	return errs
}

// nearestLevel suggests the level a misspelling most likely meant.
func nearestLevel(s string) string {
	best, dist := "", 3
	for _, l := range advise.LevelNames {
		if d := editDistance(l, s); d < dist || (len(s) >= 3 && len(l) > len(s) && l[:len(s)] == s && dist > 0) {
			best, dist = l, min(d, dist)
		}
	}
	known := "one of high, medium, low, none"
	if best == "" {
		return known
	}
	return "did you mean " + strconv.Quote(best) + "? (" + known + ")"
}

// validateApps checks the apps of a cluster; whether a pool serves their
// needs is the advice's to report.
func validateApps(c *Cluster, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	names := uniqueNames{}
	for i := range c.Workloads.Apps {
		app, ap := &c.Workloads.Apps[i], p.Index(i)
		errs = append(errs, names.add(ap.Child("name"), app.Name)...)
		errs = append(errs, dnsLabel(ap.Child("name"), app.Name)...)
		if app.Replicas < 1 {
			errs = append(errs, field.Invalid(ap.Child("replicas"), app.Replicas, fmt.Sprintf("app %s needs at least 1 replica", app.Name)))
		}
		if app.Platform != "" && !slices.Contains(Platforms, app.Platform) {
			errs = append(errs, field.NotSupported(ap.Child("platform"), app.Platform, Platforms))
		}
		if app.NodePool != "" {
			_, poolErrs := poolOf(c, app.NodePool, ap.Child("nodePool"))
			errs = append(errs, poolErrs...)
		}
		errs = append(errs, validateNeeds(&app.Needs, ap.Child("needs"))...)
	}
	return errs
}

package inventory

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/lowlat/lowlat/generator/catalog"
)

// validateSRIOVRelease refuses SR-IOV networks on a release whose operator
// has no AWS platform. A warning is not enough: that operator's webhook
// denies every policy lowlat renders ("no supported NIC is selected by the
// nicSelector"), so the networking Application fails to sync and the
// rollout stops there.
func validateSRIOVRelease(openshift string, c *Cluster, p *field.Path) field.ErrorList {
	row, known := catalog.SRIOVRow(openshift)
	if !known || row.AWS || len(c.Networks) == 0 {
		return nil // an unknown release is reported as such by validateRelease
	}
	msg := fmt.Sprintf("OpenShift %s's SR-IOV Network Operator has no AWS platform (%s): its webhook denies the aws/NetworkID policy of this network "+
		"and the sync fails; SR-IOV on EC2 needs OpenShift %s or later (spec.openshift.version), else remove the network",
		openshift, row.Source, catalog.FirstSRIOVOnAWS())
	var errs field.ErrorList
	for i := range c.Networks {
		errs = append(errs, field.Forbidden(p.Child("networks").Index(i), msg))
	}
	return errs
}

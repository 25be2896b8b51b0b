// Package machines renders the machine.openshift.io/v1beta1 MachineSets that
// bring a cluster's node pools up on an installer-provisioned OpenShift
// cluster on AWS: one per pool and availability zone, named and labelled as
// the installer names the workers' (<infraID>-<pool>-<zone>), whose Machines
// become nodes labelled node-role.kubernetes.io/<role> — the label every
// selector lowlat renders for the pool matches.
//
// The objects are github.com/openshift/api's machine/v1beta1 types, not
// small copies: that package needs only k8s.io/api and apimachinery, which
// lowlat builds with anyway, and the provider config is then written by the
// same types the machine API's webhook decodes and re-encodes it with
// (machine-api-operator pkg/webhooks/machine_webhook.go), so what ArgoCD
// compares is what the cluster stores.
package machines

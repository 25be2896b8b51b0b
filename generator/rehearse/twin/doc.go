// Package twin is a stand-in for an OpenShift cluster on EC2 metal: the
// state a fresh cluster has before any add-on operator (its CRDs, machine
// config pools, the control plane and default workers, the labelled nodes
// of pools without MachineSets, OpenShift GitOps with its default rights)
// and controllers that act on what ArgoCD syncs the way the real operators
// do, in modelled time: the machine API turns MachineSets into nodes that
// join the worker pool, OLM installs operators from Subscriptions, the
// Node Tuning Operator turns PerformanceProfiles into machine configs and
// runtime classes, the Machine Config Operator drains and reboots a pool's
// nodes a few at a time (and holds a paused pool's), the SR-IOV operator
// configures each node's ENA interfaces (and its webhook refuses what the
// release's operator refuses), HCO and KubeVirt report their CRs, and a
// scheduler, kubelet, CronJob controller and job controller run Pods and
// Jobs. A Job's shell script from a ConfigMap runs for real, one pass at a
// time, with oc and kubectl against the twin's API server as the pod's
// service account.
//
// The twin drives a real kube-apiserver: RBAC, admission (webhooks the twin
// serves, ValidatingAdmissionPolicies lowlat renders), schemas and
// immutability are the server's own. Each behaviour names the upstream code
// it follows; durations are documented defaults a user can override.
package twin

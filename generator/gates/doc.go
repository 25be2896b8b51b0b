// Package gates renders the waits that hold an ArgoCD sync until the
// cluster has finished what an earlier wave started, where ArgoCD's health
// of the synced objects cannot tell:
//
//   - an operator's CSV Succeeded (its webhook answers) before the next
//     wave applies the operator's custom resources: the Subscription's
//     health is Healthy once its install plan is done (state AtLatestKnown),
//     while the CSV may still be Installing;
//   - every node of a pool running the machine config of its performance
//     profile: the Node Tuning Operator reports a profile Available as soon
//     as it has written its machine config, and the pool turns Updating
//     only once the Machine Config Operator has rendered it, so a sync can
//     find profile and pool Healthy before the rollout has begun and move
//     on to SR-IOV (which drains the same nodes) and to the workloads
//     (which land on untuned nodes);
//   - every node of a pool advertising the SR-IOV resource of a network
//     before the workloads ask for it.
//
// Each wait is a Job run as an ArgoCD Sync hook (deleted and run again on
// every sync, so an update waits too), one `oc wait` per Job, as a
// service account that may only read what it waits on. The image is the
// cluster's own cli image stream (present on every OpenShift cluster,
// matching its version, pullable by any authenticated account).
package gates

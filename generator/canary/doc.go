// Package canary renders the canary rollout of node pools: a pool with a
// canary is held paused (its MachineConfigPool's spec.paused), one of its
// nodes forms a pool of its own that takes every new rendered config at
// once, and a controller releases the pool only when a kube-burner re-test
// on that node passes the perf tests' thresholds.
//
// The controller is a CronJob running one pass of canary.sh (`oc` in the
// cluster's own cli image, as the waits of package gates run) every few
// minutes: level-triggered, so it needs no memory of its own and no event
// is lost. It compares what the Machine Config Operator reports, not what
// ArgoCD synced: a pool's spec.configuration is the rendered config it is
// to run, status.configuration the one all its nodes run
// (machine-config-operator release-4.20 pkg/controller/node/status.go), and
// a rendered config's name ends with the hash of its content
// (pkg/controller/render/hash.go), which is how the pass tells that the
// canary runs what the pool would get. Each rendered config is re-tested
// once, by a Job named after its hash; the Jobs, kept by the suspended
// CronJob they are created from, are the record of which configs passed.
//
// The pass runs as its own service account, which may read pools, nodes
// and the re-test Jobs, patch only the held pools and create Jobs only in
// the perf tests' namespace.
package canary

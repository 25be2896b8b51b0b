// Package monitoring renders what watches a cluster's pools once they are
// tuned: a PrometheusRule whose alerts know what each pool was tuned to be
// (its nodes, hugepages, SR-IOV VFs, kernel, rollouts and perf runs), and
// an OpenShift console dashboard of the same.
//
// Every alert reads metrics OpenShift's platform monitoring exports:
// kube-state-metrics and the machine-config-operator; each expression names
// its source beside it. The rule lives in a namespace lowlat creates with
// the openshift.io/cluster-monitoring label, so the platform Prometheus
// evaluates it.
//
// The objects are small typed structs with the JSON tags of the Prometheus
// Operator's pkg/apis/monitoring/v1, validated against the v0.94.1 CRD
// (package schema); the Go module of that CRD's version is not served, and
// the six fields lowlat writes do not need the upstream types' client code.
// make e2e parses every expression and runs unit tests of every alert with
// Prometheus's own promtool.
package monitoring

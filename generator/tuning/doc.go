// Package tuning renders, per node pool, the MachineConfigPool that groups the
// pool's nodes and the PerformanceProfile (performance.openshift.io/v2) the
// Node Tuning Operator applies to them.
//
// The types are small structs with the upstream JSON tags rather than imports
// of github.com/openshift/api and the Node Tuning Operator: those modules pull
// in most of Kubernetes for four fields each. Tests validate every object
// against the upstream CRD schemas instead.
package tuning

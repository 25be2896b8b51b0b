// Package schema checks rendered Kubernetes resources against the schemas
// their API servers enforce. Custom resources are validated with
// k8s.io/apiextensions-apiserver's own code (the structural schema, pruning
// for unknown fields, OpenAPI validation for types, required fields, enums
// and patterns, list-type uniqueness and embedded-resource rules) against the
// upstream CRD files copied into crds/ by `go generate`; built-in kinds are
// strictly decoded into their k8s.io/api types and checked for the fields the
// API server requires; KubeVirt VirtualMachines get both their upstream
// schema and the admission rules of low-latency VMs.
//
// Sources lists, per kind, which module, version and file a schema comes
// from, so that an end-to-end harness can install exactly the same CRDs.
package schema

//go:generate go run ./gen

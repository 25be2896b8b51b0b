package perftest

import "github.com/lowlat/lowlat/generator/kube"

// Deprecated names of kinds that moved to kube, kept until generator/render
// uses kube's.
type (
	// Deprecated: use kube.ClusterRole (or kube.Role).
	ClusterRole = kube.ClusterRole
	// Deprecated: use kube.PolicyRule.
	PolicyRule = kube.PolicyRule
)

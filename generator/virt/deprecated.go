package virt

import "github.com/lowlat/lowlat/generator/kube"

// Deprecated names of kinds that moved to kube, kept until generator/render
// uses kube's.
type (
	// Deprecated: use kube.RoleBinding (or kube.ClusterRoleBinding).
	RoleBinding = kube.RoleBinding
	// Deprecated: use kube.RoleRef.
	RoleRef = kube.RoleRef
	// Deprecated: use kube.Subject.
	Subject = kube.Subject
)

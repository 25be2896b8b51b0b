package operators

import "github.com/lowlat/lowlat/generator/kube"

// Namespace is the deprecated name of kube.Namespace, kept until
// generator/render's tests use kube's.
//
// Deprecated: use kube.Namespace.
type Namespace = kube.Namespace

// Package tools pins the upstream servers that lowlat's end-to-end check runs
// against, kube-apiserver from k8s.io/kubernetes and etcd from
// go.etcd.io/etcd/server/v3, and kubectl from the same k8s.io/kubernetes,
// with which the cluster twin runs a container's shell script. It is a
// module of its own so that the project's go.mod stays small; the e2e test
// builds its commands once per version and caches the binaries.
package tools

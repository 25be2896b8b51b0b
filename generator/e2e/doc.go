// Package e2e checks rendered trees against a real Kubernetes API server:
// it starts etcd and kube-apiserver (built from the pinned tools module under
// tools/, see hack/e2e-tools.sh) on loopback ports, installs the upstream
// CRDs of every kind lowlat emits from the list schema.Sources shares with
// `lowlat validate`, and asks the server to dry-run each resource with
// server-side apply and strict field validation, the way a cluster would
// judge the YAML a user commits.
//
// The test that starts the servers carries the build tag e2e, so `go test`
// and `make test` never run it; `make e2e` does.
package e2e

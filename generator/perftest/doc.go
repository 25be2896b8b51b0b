// Package perftest renders the kube-burner Test → Change → Re-test of a
// cluster: a baseline run before the PerformanceProfile is applied and a
// re-test after it, each a Kubernetes Job that runs
// `kube-burner init --configmap` with a pinned kube-burner image, reads its
// config and object templates from a ConfigMap into a writable emptyDir, and
// keeps its results (the local indexer's JSON files) on a
// PersistentVolumeClaim shared by both runs. A ClusterRole grants kube-burner
// exactly what its jobs create and watch, not cluster-admin.
//
// The config targets kube-burner v2.7.3. kube-burner's Go module cannot be
// built here, so its config schema (pkg/config and pkg/measurements/types at
// v2.7.3) is mirrored in internal/kbconfig, whose ParseConfig reads a config
// the way kube-burner does: render it as a Go template with missing keys as
// errors, then decode it with yaml.v3 rejecting unknown fields, then apply
// kube-burner's own checks. Tests run every rendered config through it.
package perftest

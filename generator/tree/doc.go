// Package tree turns rendered Kubernetes objects into the files of a GitOps
// repository — one file per resource, a generated-code header, a
// kustomization.yaml per directory — and writes, reads and compares such
// trees. Writes are all-or-nothing per root directory, and only files that
// carry the generated header are ever replaced or deleted.
package tree

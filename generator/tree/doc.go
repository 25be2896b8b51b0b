// Package tree turns rendered Kubernetes objects into the files of a GitOps
// repository — one file per resource, a generated-code header, a
// kustomization.yaml per directory — and writes, reads and compares such
// trees.
//
// Writes are all-or-nothing: each root (base, overlays, apps) is staged in
// full beside the tree and swapped in with one rename; the swaps are
// journalled, so a write killed between two of them is rolled back by
// Recover, which the next write runs first. Only files that carry the
// generated header are ever replaced or deleted, symlinks are refused rather
// than followed, a lock keeps two writers apart, and WriteOptions.Boundary
// keeps the output inside the repository.
package tree

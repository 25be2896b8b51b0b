// Package tree turns rendered Kubernetes objects into the files of a GitOps
// repository — one file per resource, a generated-code header, a
// kustomization.yaml per directory — and writes, reads and compares such
// trees.
//
// A Writer brings a directory in line with a render one unit at a time (a
// cluster's directories, or the files a fleet shares), so a fleet is never
// held in memory whole. A file is written only when its contents change,
// through a temporary file renamed into place: a write killed at any moment
// leaves every file whole, either its previous or its new version, and the
// next write finishes the job. Only files that carry the generated header
// are ever replaced or deleted, symlinks are refused rather than followed,
// a lock keeps two writers apart, and WriteOptions.Boundary keeps the
// output inside the repository. A checker (NewChecker) compares the same
// way without writing.
package tree

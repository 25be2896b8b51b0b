// Package review compares two rendered trees the way a reviewer reads them:
// resource by resource (identity = API group, kind, namespace and name),
// grouped by cluster and ArgoCD Application, with a field-level diff of each
// changed resource in YAML paths, list items matched by their name (or
// another merge key) rather than by index.
//
// It also names the consequences a pull request must not hide: nodes that
// reboot (a PerformanceProfile or MachineConfigPool changed), CPU partitions
// that move, nodes that drain (an SR-IOV policy changed) and resources that
// ArgoCD leaves on the cluster when they leave git (Prune=false). A side is a
// rendered directory or a git revision, rendered from that revision's
// inventory or read as committed, through git as an fs.FS (nothing is
// checked out or extracted); the report prints as text, Markdown for a
// pull-request comment, or JSON.
package review

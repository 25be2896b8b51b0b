// Package render lays out the GitOps repository for an inventory: which
// object goes into which directory (base/ for what all clusters share,
// overlays/aws/<cluster>/<component>/ for the rest) and which kustomizations
// tie the directories together.
package render

// Package render lays out the GitOps repository for an inventory: which
// object goes into which directory (base/ for what all clusters share,
// overlays/aws/<cluster>/<component>/ for the rest) and which kustomizations
// tie the directories together. It also gives every object its sync wave
// and sync options (waves.go, the one table of the sync plan), renders the
// ArgoCD Applications that sync the overlays in that order (apps/), and a
// kustomize entry point per cluster that runs lowlat as a KRM function
// (krm/).
package render

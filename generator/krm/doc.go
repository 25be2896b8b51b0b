// Package krm runs lowlat as a KRM function (the kustomize function spec,
// with sigs.k8s.io/kustomize/kyaml/fn/framework). Its functionConfig is an
// Inventory; the lowlat.dev/cluster annotation selects the cluster when the
// inventory has several. It emits exactly the objects that
// `kustomize build overlays/aws/<cluster>` emits from the tree `lowlat
// render` writes, so a kustomization listing the inventory under
// generators (krm/<cluster>/, rendered by lowlat) previews the cluster
// without a committed tree. Problems are Results of severity error, and the
// function exits non-zero.
//
// kustomize execs the function on every build: the package imports only
// the render pipeline and kyaml, never the heavy upstream type packages
// that tests use as oracles.
package krm

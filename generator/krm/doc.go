// Package krm runs lowlat as a KRM function (the kustomize function
// specification: a ResourceList on stdin, one on stdout). Its functionConfig is an
// Inventory; the lowlat.dev/cluster annotation selects the cluster when the
// inventory has several. It emits exactly the objects that
// `kustomize build overlays/aws/<cluster>` emits from the tree `lowlat
// render` writes, so a kustomization listing the inventory under
// generators (krm/<cluster>/, rendered by lowlat) previews the cluster
// without a committed tree. Problems are Results of severity error, and the
// function exits non-zero.
//
// kustomize execs the function on every build, so its start-up is part of
// every build's cost. The package reads and writes the ResourceList with
// go-yaml v3 (the YAML library kustomize itself uses) and small types with
// the specification's field names, rather than kyaml's fn/framework: the
// framework links kyaml's OpenAPI schema, kube-openapi and protobuf, which
// made lowlat-fn twice the size and most of its start-up. The tests keep
// kyaml's frameworktestutil and run the real kustomize CLI on the rendered
// entry points, so the wire format is checked by kustomize's own reader.
package krm

// Package kube holds the few Kubernetes object parts every lowlat manifest
// shares (type and object metadata, label selectors), with the JSON tags of
// k8s.io/apimachinery, so manifest packages stay free of the heavy upstream
// modules of the kinds they emit.
package kube

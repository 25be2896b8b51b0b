package twin

import (
	"context"
	"fmt"

	olmcrds "github.com/operator-framework/api/crds"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"

	"github.com/lowlat/lowlat/generator/e2e"
)

// openShiftKinds are the custom resource kinds a fresh OpenShift cluster
// serves before any add-on operator: the Node Tuning and Machine Config
// Operators' kinds, the Machine API and the monitoring stack's
// (PrometheusRule) are part of the release payload,
// Multus (NetworkAttachmentDefinition) is the default network's, OLM's
// kinds come with OLM, and OpenShift GitOps, installed before lowlat's tree
// is synced, brings ArgoCD's.
var openShiftKinds = [][2]string{
	{"performance.openshift.io", "PerformanceProfile"},
	{"machineconfiguration.openshift.io", "MachineConfigPool"},
	{"machineconfiguration.openshift.io", "MachineConfig"},
	{"machineconfiguration.openshift.io", "KubeletConfig"},
	{"machine.openshift.io", "MachineSet"},
	{"k8s.cni.cncf.io", "NetworkAttachmentDefinition"},
	{"monitoring.coreos.com", "PrometheusRule"},
	{"operators.coreos.com", "Subscription"},
	{"operators.coreos.com", "OperatorGroup"},
	{"argoproj.io", "Application"},
	{"argoproj.io", "ApplicationSet"},
	{"argoproj.io", "AppProject"},
	{"argoproj.io", "ArgoCD"},
}

// openShiftCRDs builds the CRDs of openShiftKinds, plus OLM's own
// ClusterServiceVersion, InstallPlan and CatalogSource from
// github.com/operator-framework/api's embedded copies.
func openShiftCRDs() ([]*apiextv1.CustomResourceDefinition, error) {
	var out []*apiextv1.CustomResourceDefinition
	for _, gk := range openShiftKinds {
		crd, err := e2e.CRDFor(gk[0], gk[1])
		if err != nil {
			return nil, err
		}
		out = append(out, crd)
	}
	return append(out, olmcrds.ClusterServiceVersion(), olmcrds.InstallPlan(), olmcrds.CatalogSource()), nil
}

// Install makes the API server look like a fresh OpenShift cluster on EC2
// with OpenShift GitOps installed: the CRDs above, the platform's
// namespaces, the master and worker machine config pools with their
// configs, the control plane and default workers and the nodes of pools
// without MachineSets (the machine API makes the others), the default
// catalog, and OpenShift GitOps' default instance with its application
// controller's default rights.
func (t *Twin) Install(ctx context.Context) error {
	crds, err := openShiftCRDs()
	if err != nil {
		return err
	}
	if err := e2e.CreateCRDs(ctx, t.dyn, crds); err != nil {
		return fmt.Errorf("fresh cluster: %w", err)
	}
	for _, step := range []func(context.Context) error{t.installNamespaces, t.installMachineConfig, t.installNodes, t.installCatalog, t.installStorage, t.installGitOps} {
		if err := step(ctx); err != nil {
			return fmt.Errorf("fresh cluster: %w", err)
		}
	}
	return nil
}

// platformNamespaces exist on every OpenShift cluster.
var platformNamespaces = []string{
	"openshift-gitops", "openshift-marketplace", "openshift-operators", "openshift-operator-lifecycle-manager",
	"openshift-machine-config-operator", "openshift-cluster-node-tuning-operator", "openshift-machine-api",
	"openshift-config-managed", "openshift-monitoring",
}

func (t *Twin) installNamespaces(ctx context.Context) error {
	for _, ns := range platformNamespaces {
		if err := t.apply(ctx, "install", gvrNamespace, object("v1", "Namespace", "", ns)); err != nil {
			return err
		}
	}
	return nil
}

// catalogSource is the Red Hat catalog every OpenShift cluster has, READY.
func (t *Twin) installCatalog(ctx context.Context) error {
	cs := object("operators.coreos.com/v1alpha1", "CatalogSource", "openshift-marketplace", "redhat-operators")
	cs["spec"] = map[string]any{"sourceType": "grpc", "displayName": "Red Hat Operators", "publisher": "Red Hat"}
	if err := t.apply(ctx, "install", gvrCatalogSource, cs); err != nil {
		return err
	}
	cs["status"] = map[string]any{"connectionState": map[string]any{"lastObservedState": "READY"}}
	return t.applyStatus(ctx, "install", gvrCatalogSource, cs)
}

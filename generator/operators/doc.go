// Package operators renders what installs and configures the operators the
// workshop needs on top of OpenShift: the Namespace, OperatorGroup and OLM
// Subscription of the SR-IOV Network Operator and of OpenShift
// Virtualization (chosen from the OpenShift version through one table), and
// their configuration resources, SriovOperatorConfig and HyperConverged.
// The Node Tuning Operator is part of OpenShift and needs no Subscription.
//
// The types are small structs with the upstream JSON tags
// (operators.coreos.com v1 OperatorGroup and v1alpha1 Subscription,
// sriovnetwork.openshift.io/v1 SriovOperatorConfig, hco.kubevirt.io/v1beta1
// HyperConverged) rather than imports of the operators' Go modules, which pull
// in controller runtimes for a handful of fields. Tests decode every object
// strictly into the OLM Go types, and check the operator CRs against the
// CRD schemas under generator/schema/crds.
package operators

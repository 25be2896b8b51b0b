// Package ordering checks that a rendered tree syncs in a safe order, with
// positions computed the way ArgoCD syncs it: the root Application of a
// cluster (apps/<cluster>/) syncs its child Applications by sync wave and
// waits for each to be healthy; within one child, resources sync by their
// own waves. A tree without apps/ is checked as if overlays/aws/<cluster>
// were one Application.
//
// The rules: a custom resource comes after what installs its CRD (an
// operator's Subscription, or for KubeVirt kinds the HyperConverged CR); a
// NetworkAttachmentDefinition after the SR-IOV policy that creates its
// device resource; a VM or pod after the attachments it names and the
// PerformanceProfile of its nodes; the baseline kube-burner Job before the
// change (PerformanceProfiles and MachineConfigPools) and the re-test after
// it; and every namespaced object after its Namespace.
package ordering

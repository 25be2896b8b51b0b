package operators

import (
	"github.com/lowlat/lowlat/generator/catalog"
	"github.com/lowlat/lowlat/generator/kube"
)

// OperatorGroup is operators.coreos.com/v1 OperatorGroup.
type OperatorGroup struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta   `json:"metadata"`
	Spec          OperatorGroupSpec `json:"spec"`
}

// OperatorGroupSpec limits the operator to the namespaces it watches.
type OperatorGroupSpec struct {
	TargetNamespaces []string `json:"targetNamespaces"`
}

// Subscription is operators.coreos.com/v1alpha1 Subscription.
type Subscription struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta  `json:"metadata"`
	Spec          SubscriptionSpec `json:"spec"`
}

// SubscriptionSpec names the package, channel and catalog.
type SubscriptionSpec struct {
	Channel             string `json:"channel"`
	Name                string `json:"name"`
	Source              string `json:"source"`
	SourceNamespace     string `json:"sourceNamespace"`
	InstallPlanApproval string `json:"installPlanApproval"`
}

// NewNamespace renders a namespace with lowlat's labels plus extra ones.
func NewNamespace(name string, labels, annotations map[string]string) kube.Namespace {
	return kube.Namespace{
		TypeMeta: kube.TypeMeta{APIVersion: kube.CoreAPIVersion, Kind: "Namespace"},
		Metadata: kube.ObjectMeta{Name: name, Labels: kube.Labels(labels), Annotations: annotations},
	}
}

// InstallObjects renders the Namespace, OperatorGroup and Subscription of
// every installed operator for an OpenShift release.
func InstallObjects(openshift string) ([]any, error) {
	var objs []any
	for _, op := range Installed {
		ch, err := catalog.ChannelFor(openshift, op.Package)
		if err != nil {
			return nil, err
		}
		objs = append(objs,
			NewNamespace(op.Namespace, op.NamespaceLabels, op.NamespaceAnnotations),
			operatorGroup(op),
			subscription(op, ch))
	}
	return objs, nil
}

// operatorGroup targets the operator's own namespace, as both products'
// install instructions do: they are not installed for all namespaces.
func operatorGroup(op Operator) OperatorGroup {
	return OperatorGroup{
		TypeMeta: kube.TypeMeta{APIVersion: "operators.coreos.com/v1", Kind: "OperatorGroup"},
		Metadata: kube.ObjectMeta{Name: op.OperatorGroup, Namespace: op.Namespace, Labels: kube.Labels(nil)},
		Spec:     OperatorGroupSpec{TargetNamespaces: []string{op.Namespace}},
	}
}

// subscription approves install plans automatically: a GitOps sync cannot
// wait for someone to approve one. Updates stay within the channel, which
// only carries releases for the cluster's OpenShift version.
func subscription(op Operator, ch catalog.Channel) Subscription {
	return Subscription{
		TypeMeta: kube.TypeMeta{APIVersion: "operators.coreos.com/v1alpha1", Kind: "Subscription"},
		Metadata: kube.ObjectMeta{Name: op.Subscription, Namespace: op.Namespace, Labels: kube.Labels(nil)},
		Spec: SubscriptionSpec{
			Channel:             ch.Channel,
			Name:                ch.Package,
			Source:              ch.Source,
			SourceNamespace:     SourceNamespace,
			InstallPlanApproval: "Automatic",
		},
	}
}

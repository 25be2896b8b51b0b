package kube_test

import (
	"fmt"

	"sigs.k8s.io/yaml"

	"github.com/lowlat/lowlat/generator/kube"
)

// A core kind is written with the upstream field names, and only the fields
// it sets.
func ExampleServiceAccount() {
	sa := kube.ServiceAccount{
		TypeMeta: kube.TypeMeta{APIVersion: kube.CoreAPIVersion, Kind: "ServiceAccount"},
		Metadata: kube.ObjectMeta{Name: "lowlat-gate", Namespace: "lowlat-system", Labels: kube.Labels(nil)},
	}
	out, _ := yaml.Marshal(sa)
	fmt.Print(string(out))
	// Output:
	// apiVersion: v1
	// kind: ServiceAccount
	// metadata:
	//   labels:
	//     app.kubernetes.io/managed-by: lowlat
	//   name: lowlat-gate
	//   namespace: lowlat-system
}

// A binding names the role it grants and who gets it.
func ExampleClusterRoleBinding() {
	b := kube.ClusterRoleBinding{
		TypeMeta: kube.TypeMeta{APIVersion: kube.RBACAPIVersion, Kind: "ClusterRoleBinding"},
		Metadata: kube.ObjectMeta{Name: "lowlat-gate"},
		RoleRef:  kube.RoleRef{APIGroup: kube.RBACGroup, Kind: "ClusterRole", Name: "lowlat-gate"},
		Subjects: []kube.Subject{{Kind: "ServiceAccount", Name: "lowlat-gate", Namespace: "lowlat-system"}},
	}
	out, _ := yaml.Marshal(b)
	fmt.Print(string(out))
	// Output:
	// apiVersion: rbac.authorization.k8s.io/v1
	// kind: ClusterRoleBinding
	// metadata:
	//   name: lowlat-gate
	// roleRef:
	//   apiGroup: rbac.authorization.k8s.io
	//   kind: ClusterRole
	//   name: lowlat-gate
	// subjects:
	// - kind: ServiceAccount
	//   name: lowlat-gate
	//   namespace: lowlat-system
}

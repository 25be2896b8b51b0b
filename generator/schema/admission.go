package schema

import (
	machinev1beta1 "github.com/openshift/api/machine/v1beta1"
	k8sschema "k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	kubevirtv1 "kubevirt.io/api/core/v1"
)

// admission holds checks that an admission webhook or a controller, not the
// schema, applies to a kind. They decode the object into its Go type and
// report whether that worked.
var admission = map[k8sschema.GroupVersionKind]func(map[string]any) (field.ErrorList, bool){
	kubevirtv1.VirtualMachineGroupVersionKind:          checkVirtualMachine,
	machinev1beta1.GroupVersion.WithKind("MachineSet"): checkMachineSet,
}

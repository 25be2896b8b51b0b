package schema

import (
	"bytes"
	"encoding/json"
	"fmt"

	machinev1beta1 "github.com/openshift/api/machine/v1beta1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// checkMachineSet decodes a MachineSet into github.com/openshift/api's
// machine/v1beta1 types, its AWS provider config strictly (the CRD keeps
// providerSpec.value as an opaque object, so only the Go type can say a
// field is misspelt), and applies what the machine API refuses
// (machine-api-operator release-4.20): the webhook's AWS errors
// (pkg/webhooks/machine_webhook.go validateAWS), a selector that matches
// the template (machineset_webhook.go validateMachineSetSpec), and selector
// labels the MachineSet controller accepts (pkg/controller/machineset/
// controller.go validateMachineset): the installer's selector holds the
// MachineSet's name, so a name over 63 characters fails there.
func checkMachineSet(obj map[string]any) (field.ErrorList, bool) {
	data, err := json.Marshal(obj)
	if err != nil {
		return field.ErrorList{field.InternalError(nil, err)}, false
	}
	var ms machinev1beta1.MachineSet
	if err := json.Unmarshal(data, &ms); err != nil {
		return field.ErrorList{field.Invalid(field.NewPath("spec"), "", fmt.Sprintf("does not decode into openshift/api machine/v1beta1 MachineSet: %v", err))}, false
	}
	var errs field.ErrorList
	sp := field.NewPath("spec")
	selector, err := labels.ValidatedSelectorFromSet(ms.Spec.Selector.MatchLabels)
	switch {
	case err != nil:
		errs = append(errs, field.Invalid(sp.Child("selector"), ms.Spec.Selector.MatchLabels, err.Error()))
	case len(ms.Spec.Selector.MatchLabels) == 0 || !selector.Matches(labels.Set(ms.Spec.Template.Labels)):
		errs = append(errs, field.Invalid(sp.Child("selector"), ms.Spec.Selector.MatchLabels, "must match spec.template.metadata.labels"))
	}
	pp := sp.Child("template", "spec", "providerSpec", "value")
	if ms.Spec.Template.Spec.ProviderSpec.Value == nil {
		return append(errs, field.Required(pp, "the AWSMachineProviderConfig of the machines")), true
	}
	return append(errs, checkAWSProviderConfig(ms.Spec.Template.Spec.ProviderSpec.Value.Raw, pp)...), true
}

// checkAWSProviderConfig decodes the provider config strictly and applies
// the machine webhook's errors for AWS.
func checkAWSProviderConfig(raw []byte, p *field.Path) field.ErrorList {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var pc machinev1beta1.AWSMachineProviderConfig
	if err := dec.Decode(&pc); err != nil {
		return field.ErrorList{field.Invalid(p, "", fmt.Sprintf("does not decode into openshift/api machine/v1beta1 AWSMachineProviderConfig: %v", err))}
	}
	var errs field.ErrorList
	if pc.Kind != "AWSMachineProviderConfig" || pc.APIVersion != machinev1beta1.GroupVersion.String() {
		errs = append(errs, field.Invalid(p.Child("kind"), pc.APIVersion+"/"+pc.Kind, "must be machine.openshift.io/v1beta1/AWSMachineProviderConfig"))
	}
	if pc.AMI.ID == nil || *pc.AMI.ID == "" {
		errs = append(errs, field.Required(p.Child("ami", "id"), "the machine webhook refuses a machine without an AMI ID"))
	}
	if pc.Placement.Region == "" {
		errs = append(errs, field.Required(p.Child("placement", "region"), "the region the machines run in"))
	}
	if pc.InstanceType == "" {
		errs = append(errs, field.Required(p.Child("instanceType"), "the EC2 instance type"))
	}
	if pc.UserDataSecret == nil || pc.UserDataSecret.Name == "" {
		errs = append(errs, field.Required(p.Child("userDataSecret", "name"), "the secret with the Ignition config the machines boot"))
	}
	if pc.CredentialsSecret == nil {
		errs = append(errs, field.Required(p.Child("credentialsSecret"), "the secret with the machine API's AWS credentials"))
	}
	switch pc.MetadataServiceOptions.Authentication {
	case "", machinev1beta1.MetadataServiceAuthenticationOptional, machinev1beta1.MetadataServiceAuthenticationRequired:
	default:
		errs = append(errs, field.NotSupported(p.Child("metadataServiceOptions", "authentication"), pc.MetadataServiceOptions.Authentication, []string{"Optional", "Required"}))
	}
	return errs
}

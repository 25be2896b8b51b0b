package sriov

import "github.com/lowlat/lowlat/generator/kube"

// SriovNetworkNodePolicy is sriovnetwork.openshift.io/v1
// SriovNetworkNodePolicy, with the fields lowlat sets.
type SriovNetworkNodePolicy struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta `json:"metadata"`
	Spec          PolicySpec      `json:"spec"`
}

// PolicySpec is SriovNetworkNodePolicySpec. Every field is written out, so a
// reviewer sees isRdma and priority without knowing the CRD's defaults.
type PolicySpec struct {
	ResourceName string            `json:"resourceName"`
	NodeSelector map[string]string `json:"nodeSelector"`
	Priority     int               `json:"priority"`
	NumVfs       int               `json:"numVfs"`
	NicSelector  NicSelector       `json:"nicSelector"`
	DeviceType   string            `json:"deviceType"`
	IsRdma       bool              `json:"isRdma"`
}

// NicSelector is SriovNetworkNicSelector. On AWS only netFilter is set: the
// AWS platform's webhook refuses it together with vendor, deviceID, pfNames
// or rootDevices, which is why those fields are absent here.
type NicSelector struct {
	NetFilter string `json:"netFilter"`
}

// NetworkAttachmentDefinition is k8s.cni.cncf.io/v1
// NetworkAttachmentDefinition.
type NetworkAttachmentDefinition struct {
	kube.TypeMeta `json:",inline"`
	Metadata      kube.ObjectMeta `json:"metadata"`
	Spec          NADSpec         `json:"spec"`
}

// NADSpec holds the CNI configuration as a JSON string.
type NADSpec struct {
	Config string `json:"config"`
}

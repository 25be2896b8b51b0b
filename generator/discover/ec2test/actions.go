package ec2test

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"sort"
	"strconv"
)

// The response documents, with the element names of the EC2 query API
// (2016-11-15) that the SDK's deserializers read.

const xmlns = "http://ec2.amazonaws.com/doc/2016-11-15/"

type xmlTag struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

type xmlAttachment struct {
	AttachmentID        string `xml:"attachmentId"`
	InstanceID          string `xml:"instanceId"`
	DeviceIndex         int    `xml:"deviceIndex"`
	NetworkCardIndex    int    `xml:"networkCardIndex"`
	Status              string `xml:"status"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
}

type xmlENI struct {
	ID          string         `xml:"networkInterfaceId"`
	SubnetID    string         `xml:"subnetId"`
	Zone        string         `xml:"availabilityZone,omitempty"`
	Description string         `xml:"description"`
	Status      string         `xml:"status"`
	Attachment  *xmlAttachment `xml:"attachment,omitempty"`
	Tags        []xmlTag       `xml:"tagSet>item,omitempty"`
}

type xmlInstance struct {
	ID    string `xml:"instanceId"`
	State struct {
		Code int    `xml:"code"`
		Name string `xml:"name"`
	} `xml:"instanceState"`
	Type      string `xml:"instanceType"`
	Placement struct {
		Zone string `xml:"availabilityZone"`
	} `xml:"placement"`
	SubnetID string   `xml:"subnetId"`
	Tags     []xmlTag `xml:"tagSet>item,omitempty"`
	ENIs     []xmlENI `xml:"networkInterfaceSet>item,omitempty"`
}

type xmlReservation struct {
	ID        string        `xml:"reservationId"`
	Instances []xmlInstance `xml:"instancesSet>item"`
}

type describeInstancesResponse struct {
	XMLName      xml.Name         `xml:"DescribeInstancesResponse"`
	Xmlns        string           `xml:"xmlns,attr"`
	Reservations []xmlReservation `xml:"reservationSet>item"`
	NextToken    string           `xml:"nextToken,omitempty"`
}

type describeNetworkInterfacesResponse struct {
	XMLName   xml.Name `xml:"DescribeNetworkInterfacesResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	ENIs      []xmlENI `xml:"networkInterfaceSet>item"`
	NextToken string   `xml:"nextToken,omitempty"`
}

type createNetworkInterfaceResponse struct {
	XMLName     xml.Name `xml:"CreateNetworkInterfaceResponse"`
	Xmlns       string   `xml:"xmlns,attr"`
	ENI         xmlENI   `xml:"networkInterface"`
	ClientToken string   `xml:"clientToken,omitempty"`
}

type attachNetworkInterfaceResponse struct {
	XMLName          xml.Name `xml:"AttachNetworkInterfaceResponse"`
	Xmlns            string   `xml:"xmlns,attr"`
	AttachmentID     string   `xml:"attachmentId"`
	NetworkCardIndex int      `xml:"networkCardIndex"`
}

// returnResponse is the answer of actions that only say they succeeded.
type returnResponse struct {
	XMLName xml.Name
	Xmlns   string `xml:"xmlns,attr"`
	Return  bool   `xml:"return"`
}

// stateCodes are EC2's instance state codes (InstanceState.Code).
var stateCodes = map[string]int{"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64, "stopped": 80}

func (c *Cloud) describeInstances(form url.Values) (any, *apiError) {
	f := filters(form)
	var found []*Instance
	for _, inst := range c.instances {
		ok, aerr := matches(f, map[string]string{"instance-state-name": inst.State, "instance-id": inst.ID, "instance-type": inst.Type}, inst.Tags)
		if aerr != nil {
			return nil, aerr
		}
		if ok {
			found = append(found, inst)
		}
	}
	from, to, next := c.page(form, len(found))
	resp := describeInstancesResponse{Xmlns: xmlns, NextToken: next, Reservations: []xmlReservation{}}
	for _, inst := range found[from:to] {
		x := xmlInstance{ID: inst.ID, Type: inst.Type, SubnetID: inst.Subnet, Tags: toXMLTags(inst.Tags)}
		x.State.Code, x.State.Name = stateCodes[inst.State], inst.State
		x.Placement.Zone = inst.Zone
		for _, e := range c.sortedENIs() {
			if e.Attachment != nil && e.Attachment.InstanceID == inst.ID {
				x.ENIs = append(x.ENIs, toXMLENI(e))
			}
		}
		resp.Reservations = append(resp.Reservations, xmlReservation{ID: "r-" + inst.ID[2:], Instances: []xmlInstance{x}})
	}
	return resp, nil
}

func (c *Cloud) describeNetworkInterfaces(form url.Values) (any, *apiError) {
	f := filters(form)
	var found []*ENI
	for _, e := range c.sortedENIs() {
		fields := map[string]string{"network-interface-id": e.ID, "subnet-id": e.Subnet, "status": e.Status(), "attachment.instance-id": ""}
		if e.Attachment != nil {
			fields["attachment.instance-id"] = e.Attachment.InstanceID
		}
		ok, aerr := matches(f, fields, e.Tags)
		if aerr != nil {
			return nil, aerr
		}
		if ok {
			found = append(found, e)
		}
	}
	from, to, next := c.page(form, len(found))
	resp := describeNetworkInterfacesResponse{Xmlns: xmlns, NextToken: next, ENIs: []xmlENI{}}
	for _, e := range found[from:to] {
		resp.ENIs = append(resp.ENIs, toXMLENI(e))
	}
	return resp, nil
}

// createNetworkInterface makes an available ENI in the subnet with the tags
// of the network-interface TagSpecification. A repeated ClientToken returns
// the ENI the first request made, as EC2's idempotent requests do.
func (c *Cloud) createNetworkInterface(form url.Values) (any, *apiError) {
	token := form.Get("ClientToken")
	if id, ok := c.tokens[token]; ok && token != "" && c.enis[id] != nil {
		return createNetworkInterfaceResponse{Xmlns: xmlns, ENI: toXMLENI(c.enis[id]), ClientToken: token}, nil
	}
	subnet := form.Get("SubnetId")
	zone, ok := c.subnets[subnet]
	if !ok {
		return nil, &apiError{"InvalidSubnetID.NotFound", "The subnet ID '" + subnet + "' does not exist"}
	}
	e := &ENI{ID: c.newID("eni"), Subnet: subnet, Zone: zone, Description: form.Get("Description"), Tags: map[string]string{}}
	for n := 1; form.Has(fmt.Sprintf("TagSpecification.%d.ResourceType", n)); n++ {
		if form.Get(fmt.Sprintf("TagSpecification.%d.ResourceType", n)) != "network-interface" {
			continue
		}
		for m := 1; form.Has(fmt.Sprintf("TagSpecification.%d.Tag.%d.Key", n, m)); m++ {
			e.Tags[form.Get(fmt.Sprintf("TagSpecification.%d.Tag.%d.Key", n, m))] = form.Get(fmt.Sprintf("TagSpecification.%d.Tag.%d.Value", n, m))
		}
	}
	c.enis[e.ID] = e
	if token != "" {
		c.tokens[token] = e.ID
	}
	return createNetworkInterfaceResponse{Xmlns: xmlns, ENI: toXMLENI(e), ClientToken: token}, nil
}

// attachNetworkInterface checks what EC2 checks before attaching: the ENI
// and instance exist, the instance can take an ENI, the ENI is free and in
// the instance's zone, and the slot is free (refuseSlot). The attachment
// does not delete the ENI on termination, as an ENI attached with this
// call does not by default.
func (c *Cloud) attachNetworkInterface(form url.Values) (any, *apiError) {
	e, inst := c.enis[form.Get("NetworkInterfaceId")], c.instance(form.Get("InstanceId"))
	device, _ := strconv.Atoi(form.Get("DeviceIndex"))
	card, _ := strconv.Atoi(form.Get("NetworkCardIndex"))
	switch {
	case e == nil:
		return nil, &apiError{"InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '" + form.Get("NetworkInterfaceId") + "' does not exist"}
	case inst == nil:
		return nil, &apiError{"InvalidInstanceID.NotFound", "The instance ID '" + form.Get("InstanceId") + "' does not exist"}
	case inst.State != "running" && inst.State != "stopped":
		return nil, &apiError{"IncorrectInstanceState", "The instance '" + inst.ID + "' is not in a valid state for this operation."}
	case e.Attachment != nil:
		return nil, &apiError{"InvalidNetworkInterface.InUse", "Interface: [" + e.ID + "] in use."}
	case e.Zone != inst.Zone:
		return nil, &apiError{"InvalidParameterCombination", "You may not attach a network interface to an instance if they are not in the same availability zone"}
	}
	if aerr := c.refuseSlot(inst, card, device); aerr != nil {
		return nil, aerr
	}
	e.Attachment = &Attachment{ID: c.newID("eni-attach"), InstanceID: inst.ID, DeviceIndex: device, NetworkCardIndex: card}
	return attachNetworkInterfaceResponse{Xmlns: xmlns, AttachmentID: e.Attachment.ID, NetworkCardIndex: card}, nil
}

func (c *Cloud) modifyNetworkInterfaceAttribute(form url.Values) (any, *apiError) {
	e := c.enis[form.Get("NetworkInterfaceId")]
	if e == nil {
		return nil, &apiError{"InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '" + form.Get("NetworkInterfaceId") + "' does not exist"}
	}
	if id := form.Get("Attachment.AttachmentId"); id != "" {
		if e.Attachment == nil || e.Attachment.ID != id {
			return nil, &apiError{"InvalidAttachmentID.NotFound", "The attachment ID '" + id + "' does not exist"}
		}
		e.Attachment.DeleteOnTermination = form.Get("Attachment.DeleteOnTermination") == "true"
	}
	return returnResponse{XMLName: xml.Name{Local: "ModifyNetworkInterfaceAttributeResponse"}, Xmlns: xmlns, Return: true}, nil
}

func (c *Cloud) deleteNetworkInterface(form url.Values) (any, *apiError) {
	id := form.Get("NetworkInterfaceId")
	e := c.enis[id]
	if e == nil {
		return nil, &apiError{"InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '" + id + "' does not exist"}
	}
	if e.Attachment != nil {
		return nil, &apiError{"InvalidNetworkInterface.InUse", "The network interface '" + id + "' is currently in use."}
	}
	delete(c.enis, id)
	return returnResponse{XMLName: xml.Name{Local: "DeleteNetworkInterfaceResponse"}, Xmlns: xmlns, Return: true}, nil
}

func (c *Cloud) instance(id string) *Instance {
	for _, inst := range c.instances {
		if inst.ID == id {
			return inst
		}
	}
	return nil
}

// refuseSlot is EC2's answer to an attachment at a network card and device
// index the instance cannot take: a card its type does not have, a card
// with as many ENIs as it takes, an instance at its own cap, or a device
// index taken on that card (device indexes are per card: the same index on
// two cards is two slots). The error codes are EC2's; the limit message is
// its single-card wording, counted on the card.
func (c *Cloud) refuseSlot(inst *Instance, card, device int) *apiError {
	limit, ok := c.cardLimit(inst, card)
	onCard := c.attached(inst.ID, func(a *Attachment) bool { return a.NetworkCardIndex == card })
	all := c.attached(inst.ID, func(*Attachment) bool { return true })
	switch {
	case !ok:
		return &apiError{"InvalidParameterValue", fmt.Sprintf("The network card index '%d' is not valid for instance type %s.", card, inst.Type)}
	case limit > 0 && onCard >= limit:
		return &apiError{"AttachmentLimitExceeded", fmt.Sprintf("Interface count %d exceeds the limit for %s", onCard+1, inst.Type)}
	case inst.MaxENIs > 0 && all >= inst.MaxENIs:
		return &apiError{"AttachmentLimitExceeded", fmt.Sprintf("Interface count %d exceeds the limit for %s", all+1, inst.Type)}
	case c.attached(inst.ID, func(a *Attachment) bool { return a.NetworkCardIndex == card && a.DeviceIndex == device }) > 0:
		return &apiError{"InvalidParameterValue", fmt.Sprintf("Instance '%s' already has an interface attached at device index '%d'.", inst.ID, device)}
	}
	return nil
}

// attached counts the instance's attachments that match.
func (c *Cloud) attached(instance string, match func(*Attachment) bool) int {
	n := 0
	for _, e := range c.enis {
		if e.Attachment != nil && e.Attachment.InstanceID == instance && match(e.Attachment) {
			n++
		}
	}
	return n
}

func (c *Cloud) sortedENIs() []*ENI {
	out := make([]*ENI, 0, len(c.enis))
	for _, e := range c.enis {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func toXMLENI(e *ENI) xmlENI {
	x := xmlENI{ID: e.ID, SubnetID: e.Subnet, Zone: e.Zone, Description: e.Description, Status: e.Status(), Tags: toXMLTags(e.Tags)}
	if a := e.Attachment; a != nil {
		x.Attachment = &xmlAttachment{AttachmentID: a.ID, InstanceID: a.InstanceID, DeviceIndex: a.DeviceIndex,
			NetworkCardIndex: a.NetworkCardIndex, Status: "attached", DeleteOnTermination: a.DeleteOnTermination}
	}
	return x
}

func toXMLTags(tags map[string]string) []xmlTag {
	var out []xmlTag
	for k, v := range tags {
		out = append(out, xmlTag{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

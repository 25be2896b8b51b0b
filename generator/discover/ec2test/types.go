package ec2test

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// InstanceType is what the cloud knows of an instance type: how many ENIs
// each of its network cards takes. DescribeInstanceTypes answers it, and
// AttachNetworkInterface enforces it.
type InstanceType struct {
	Name string
	// CardENIs is each network card's MaximumNetworkInterfaces, by card
	// index; the type's MaximumNetworkInterfaces is their sum.
	CardENIs []int
	// DefaultCard is DefaultNetworkCardIndex: 0 on every type EC2 offers.
	DefaultCard int
}

// knownTypes are the types the tests use, with the per-card limits
// DescribeInstanceTypes gives (as recorded in aws/amazon-vpc-cni-k8s
// pkg/vpc/vpc_ip_resource_limit.go, which is generated from it):
// c6in.metal has two cards of 8 ENIs, the others one card.
var knownTypes = []InstanceType{
	{Name: "c5.metal", CardENIs: []int{15}},
	{Name: "i3.metal", CardENIs: []int{15}},
	{Name: "c6in.metal", CardENIs: []int{8, 8}},
	{Name: "m6i.xlarge", CardENIs: []int{4}},
}

// AddInstanceType adds a type to the cloud, or replaces what it knows of it.
func (c *Cloud) AddInstanceType(it InstanceType) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.types[it.Name] = it
}

type xmlNetworkCard struct {
	Index   int `xml:"networkCardIndex"`
	MaxENIs int `xml:"maximumNetworkInterfaces"`
}

type xmlInstanceType struct {
	Name      string `xml:"instanceType"`
	BareMetal bool   `xml:"bareMetal"`
	Network   struct {
		MaxENIs     int              `xml:"maximumNetworkInterfaces"`
		MaxCards    int              `xml:"maximumNetworkCards"`
		DefaultCard int              `xml:"defaultNetworkCardIndex"`
		Cards       []xmlNetworkCard `xml:"networkCards>item"`
		ENA         string           `xml:"enaSupport"`
	} `xml:"networkInfo"`
}

type describeInstanceTypesResponse struct {
	XMLName   xml.Name          `xml:"DescribeInstanceTypesResponse"`
	Xmlns     string            `xml:"xmlns,attr"`
	Types     []xmlInstanceType `xml:"instanceTypeSet>item"`
	NextToken string            `xml:"nextToken,omitempty"`
}

// describeInstanceTypes answers the InstanceType.N asked for, paginated,
// and refuses a type it does not know as EC2 refuses one it does not offer.
func (c *Cloud) describeInstanceTypes(form url.Values) (any, *apiError) {
	var names, unknown []string
	for n := 1; form.Has(fmt.Sprintf("InstanceType.%d", n)); n++ {
		name := form.Get(fmt.Sprintf("InstanceType.%d", n))
		if _, ok := c.types[name]; !ok {
			unknown = append(unknown, name)
		}
		names = append(names, name)
	}
	if len(unknown) > 0 {
		return nil, &apiError{"InvalidInstanceType", "The following supplied instance types do not exist: [" + strings.Join(unknown, ", ") + "]"}
	}
	sort.Strings(names)
	from, to, next := c.page(form, len(names))
	resp := describeInstanceTypesResponse{Xmlns: xmlns, NextToken: next, Types: []xmlInstanceType{}}
	for _, name := range names[from:to] {
		resp.Types = append(resp.Types, toXMLInstanceType(c.types[name]))
	}
	return resp, nil
}

func toXMLInstanceType(it InstanceType) xmlInstanceType {
	x := xmlInstanceType{Name: it.Name, BareMetal: strings.HasSuffix(it.Name, ".metal") || strings.Contains(it.Name, ".metal-")}
	x.Network.MaxCards, x.Network.DefaultCard, x.Network.ENA = len(it.CardENIs), it.DefaultCard, "required"
	for i, n := range it.CardENIs {
		x.Network.Cards = append(x.Network.Cards, xmlNetworkCard{Index: i, MaxENIs: n})
		x.Network.MaxENIs += n
	}
	return x
}

// cardLimit is how many ENIs card of the instance's type takes; ok is
// false when the type has no such card. A type the cloud does not know has
// one card without a limit.
func (c *Cloud) cardLimit(inst *Instance, card int) (limit int, ok bool) {
	it, known := c.types[inst.Type]
	if !known {
		return 0, card == 0
	}
	if card < 0 || card >= len(it.CardENIs) {
		return 0, false
	}
	return it.CardENIs[card], true
}

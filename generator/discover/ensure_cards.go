package discover

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// networkCard is one network card of an instance type and how many ENIs it
// takes (DescribeInstanceTypes NetworkInfo.NetworkCards[]).
type networkCard struct{ index, max int }

// cardsOf lists the type's network cards in the order ensure-enis fills
// them: the default card first (card 0 on every type, where the primary
// ENI is), then the others by index. The SR-IOV operator does not care
// which card an ENI is on: it matches ENIs by their subnet. A type answered
// without per-card limits is one card taking MaximumNetworkInterfaces,
// unless it says it has more cards.
func cardsOf(info types.InstanceTypeInfo) ([]networkCard, error) {
	n := info.NetworkInfo
	if n == nil {
		return nil, errors.New("EC2 did not describe its network")
	}
	def := int(aws.ToInt32(n.DefaultNetworkCardIndex))
	var cards []networkCard
	for _, c := range n.NetworkCards {
		cards = append(cards, networkCard{int(aws.ToInt32(c.NetworkCardIndex)), int(aws.ToInt32(c.MaximumNetworkInterfaces))})
	}
	if len(cards) == 0 {
		if k := aws.ToInt32(n.MaximumNetworkCards); k > 1 {
			return nil, fmt.Errorf("EC2 described %d network cards without their ENI limits", k)
		}
		cards = []networkCard{{def, int(aws.ToInt32(n.MaximumNetworkInterfaces))}}
	}
	rank := func(c networkCard) int {
		if c.index == def {
			return -1
		}
		return c.index
	}
	slices.SortFunc(cards, func(a, b networkCard) int { return cmp.Compare(rank(a), rank(b)) })
	return cards, nil
}

// slots are the device indexes taken on each network card of an instance.
type slots map[int]map[int]bool

// slotsOf reads an instance's attachments. Device 0 of card 0 is the
// primary ENI's whatever the answer lists: EC2 puts it there and it never
// moves.
func slotsOf(inst types.Instance) slots {
	s := slots{}
	s.take(0, 0)
	for _, ni := range inst.NetworkInterfaces {
		if a := ni.Attachment; a != nil {
			s.take(int(aws.ToInt32(a.NetworkCardIndex)), int(aws.ToInt32(a.DeviceIndex)))
		}
	}
	return s
}

func (s slots) take(card, device int) {
	if s[card] == nil {
		s[card] = map[int]bool{}
	}
	s[card][device] = true
}

// place takes the lowest free device index of the first card with room;
// ok is false when every card is full. Device indexes count per card from
// 0, as the AWS VPC CNI numbers the ENIs it attaches to cards other than
// 0 (amazon-vpc-cni-k8s pkg/awsutils awsGetFreeDeviceNumber).
func (s slots) place(cards []networkCard) (card, device int, ok bool) {
	for _, c := range cards {
		if len(s[c.index]) >= c.max {
			continue
		}
		for s[c.index][device] {
			device++
		}
		s.take(c.index, device)
		return c.index, device, true
	}
	return 0, 0, false
}

// usage says how full the cards are, e.g. "card 0: 8 of 8, card 1: 3 of 8",
// and how many ENIs they take and hold in all.
func (s slots) usage(cards []networkCard) (text string, used, limit int) {
	parts := make([]string, len(cards))
	for i, c := range cards {
		parts[i] = fmt.Sprintf("card %d: %d of %d", c.index, len(s[c.index]), c.max)
		used += len(s[c.index])
		limit += c.max
	}
	return strings.Join(parts, ", "), used, limit
}

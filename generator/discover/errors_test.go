package discover

import (
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
)

func TestExplainGivesARemedy(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"an unresolvable endpoint points at the region",
			fmt.Errorf("send request: %w", &net.DNSError{Name: "ec2.us-east-9.amazonaws.com", Err: "no such host"}),
			"ec2:DescribeSubnets failed: send request: lookup ec2.us-east-9.amazonaws.com: no such host; cannot resolve the EC2 endpoint ec2.us-east-9.amazonaws.com: is the region right"},
		{"a region the account has not enabled says so",
			&smithy.GenericAPIError{Code: "OptInRequired", Message: "You are not subscribed to this service."},
			"ec2:DescribeSubnets failed: OptInRequired: You are not subscribed to this service; the account has not opted in to this region"},
		{"rejected credentials say where credentials come from",
			&smithy.GenericAPIError{Code: "AuthFailure", Message: "AWS was not able to validate the provided access credentials"},
			"AuthFailure: AWS was not able to validate the provided access credentials; AWS rejected the credentials; check AWS_PROFILE or the access keys"},
		{"an unknown code keeps the code and message without a hint",
			&smithy.GenericAPIError{Code: "Weird", Message: "odd."},
			"ec2:DescribeSubnets failed: Weird: odd"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := explain("DescribeSubnets", tc.err).Error()
			if !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

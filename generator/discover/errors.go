package discover

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// CallError is a failed EC2 call: which operation, the AWS error code when
// EC2 answered, and what to do about it.
type CallError struct {
	Operation string // e.g. DescribeInstances
	Code      string // AWS error code; empty when EC2 was never reached
	Attempts  int    // attempts the SDK's retryer made; 0 when unknown
	Hint      string
	Err       error
}

func (e *CallError) Error() string {
	msg := "ec2:" + e.Operation + " failed"
	if e.Code != "" {
		msg += ": " + e.Code
	}
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	msg += ": " + e.detail()
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

func (e *CallError) Unwrap() error { return e.Err }

func (e *CallError) detail() string {
	var api smithy.APIError
	if errors.As(e.Err, &api) && api.ErrorMessage() != "" {
		return strings.TrimSuffix(api.ErrorMessage(), ".")
	}
	return e.Err.Error()
}

// Hints by AWS error code. Throttling codes reach here only once the SDK's
// retryer gave up; its standard configuration (AWS_MAX_ATTEMPTS,
// AWS_RETRY_MODE) decides how long it tries.
var hints = map[string]string{
	"UnauthorizedOperation":    "the credentials lack IAM permission ec2:%s",
	"AccessDenied":             "the credentials lack IAM permission ec2:%s",
	"AuthFailure":              "AWS rejected the credentials; check AWS_PROFILE or the access keys",
	"InvalidClientTokenId":     "AWS does not know the access key; check AWS_PROFILE or the access keys",
	"SignatureDoesNotMatch":    "the secret key does not match the access key",
	"ExpiredToken":             "the session token expired; log in again (aws sso login, or new STS credentials)",
	"RequestExpired":           "the request's timestamp is too old; check the clock",
	"OptInRequired":            "the account has not opted in to this region",
	"RequestLimitExceeded":     "EC2 kept throttling after the SDK's retries; retry later or raise AWS_MAX_ATTEMPTS, or set AWS_RETRY_MODE=adaptive",
	"Throttling":               "EC2 kept throttling after the SDK's retries; retry later or raise AWS_MAX_ATTEMPTS, or set AWS_RETRY_MODE=adaptive",
	"InvalidInstanceType":      "EC2 does not offer an instance type of the inventory in this region",
	"InvalidParameterValue":    "EC2 refused a value discovery sent; is the inventory's infraID or a subnet ID malformed?",
	"UnsupportedOperation":     "the region does not support this call",
	"InternalError":            "EC2 failed on its side; retry later",
	"ServiceUnavailable":       "EC2 failed on its side; retry later",
	"InvalidSubnetID.NotFound": "a network's subnet does not exist in this region",
	// ensure-enis: the state changed between its describe and its change,
	// or EC2 refuses the change; a second run plans from the new state.
	"AttachmentLimitExceeded":            "the instance has as many ENIs as its type allows; detach one, or move a network to another pool",
	"IncorrectInstanceState":             "the instance is not running or stopped (terminated, or on its way); run again to plan without it",
	"IncorrectState":                     "the ENI or instance is busy with another change; run again in a moment",
	"InvalidInstanceID.NotFound":         "the instance is gone; run again to plan without it",
	"InvalidNetworkInterfaceID.NotFound": "the ENI is gone; run again to plan without it",
	"InvalidNetworkInterface.InUse":      "the ENI is attached; run again to plan from its new state",
	"InvalidAttachmentID.NotFound":       "the ENI was detached (its instance terminated?); run again to plan without it",
	"InvalidParameterCombination":        "EC2 refused the combination of parameters; is the ENI's subnet in another zone than the instance?",
}

// permissions are the IAM actions an operation needs beyond ec2:<operation>.
var permissions = map[string]string{
	// Tags given in TagSpecifications are authorized as ec2:CreateTags
	// ("Grant permission to tag resources during creation", EC2 IAM guide).
	"CreateNetworkInterface": "ec2:CreateNetworkInterface and ec2:CreateTags (to tag it on create)",
}

// explain turns an SDK error into a CallError naming the operation, the
// AWS error code and what to do.
func explain(op string, err error) error {
	ce := &CallError{Operation: op, Err: err}
	var maxAttempts *retry.MaxAttemptsError
	if errors.As(err, &maxAttempts) {
		ce.Attempts = maxAttempts.Attempt
	}
	var api smithy.APIError
	var dns *net.DNSError
	switch {
	case errors.As(err, &api):
		ce.Code = api.ErrorCode()
		if h, ok := hints[ce.Code]; ok {
			ce.Hint = h
			if ce.Code == "UnauthorizedOperation" || ce.Code == "AccessDenied" {
				ce.Hint = fmt.Sprintf(h, op)
				if p, ok := permissions[op]; ok {
					ce.Hint = strings.Replace(h, "ec2:%s", p, 1)
				}
			}
		}
	case errors.As(err, &dns):
		ce.Hint = fmt.Sprintf("cannot resolve the EC2 endpoint %s: is the region right, and is there a network route to AWS?", dns.Name)
	}
	return ce
}

// Package ec2test serves recorded EC2 query-protocol answers on a loopback
// HTTP server, so that discovery is tested against the real SDK's request
// encoding, pagination, retries and XML decoding without a network.
package ec2test

// Package tools pins Prometheus's promtool, with which make e2e parses every
// expression of the PrometheusRules lowlat renders and runs their unit
// tests. It is a module of its own so that Prometheus's dependencies do not
// move the project's go.mod; hack/promtool.sh builds the command once per
// version and caches the binary.
package tools

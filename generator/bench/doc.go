// Package bench holds lowlat's rendering benchmarks: a fleet of N copies of
// the workshop cluster rendered end to end, against the floor of only
// marshalling the same objects to YAML. `make bench` runs them with the
// partitioner's benchmark and prints the ratios with cmd/benchreport.
package bench

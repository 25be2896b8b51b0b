// Package changepoint finds the runs where a performance series shifted to a
// new level, with the E-divisive means method as Hunter and Apache Otava run
// it (Fleming et al., "Hunter: Using Change Point Detection to Hunt for
// Performance Regressions", ICPE 2023): the energy statistic q-hat picks the
// best split of a sliding window, a pooled Student t-test decides whether the
// split is real, the halves are split again, and a final merge pass keeps
// only the points that stay significant against their neighbours.
package changepoint

// Package history looks for regressions across many kube-burner runs, the
// way Orion does for OpenShift's CI: every quantile statistic becomes a
// series over runs in time order, package changepoint finds where a series
// moved to a new level, and Orion's filters keep the changes that matter
// (worse, large enough, not already acknowledged). Results render as text,
// as Orion-shaped JSON, or as an SVG plot.
package history

// Package kubeburner reads the latency quantiles that kube-burner's local
// indexer writes, one <metricName>-<job>.json array per measurement and job,
// into a Run: the documents of one kube-burner execution, keyed by
// measurement, job, quantile and statistic so two runs can be lined up.
package kubeburner

// Package compare lines up two kube-burner runs, a baseline and a re-test,
// quantile by quantile, and says for each statistic whether the re-test is
// better, worse or the same within a tolerance. Optional thresholds, in the
// shape kube-burner's own latency thresholds take, turn a worse result into
// a failure; reports render as an aligned text table, a GitHub Markdown table
// for a pull-request comment, or JSON.
package compare

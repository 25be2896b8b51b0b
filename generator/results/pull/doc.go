// Package pull brings the results of perf runs home from a cluster, and
// keeps them in a directory that lowlat results compare and history read.
//
// Each finished run leaves a ConfigMap <job>-results (package perfrun),
// labelled lowlat.dev/results=<test> with its cluster, pool, phase, series,
// tuning hash, run uuid and git revision, annotated with when it started
// and finished, its exit status and verdict, and holding the test's
// result files. Pull lists them with client-go, writes each run not yet
// in the directory to
//
//	DIR/<cluster>/<pool>/<series>/<job>/
//
// (the result files, as the test wrote them, and run.json, what the labels
// and annotations say), and reports the runs it skipped: those still in
// progress (a run's Job without a finished condition and no results yet),
// those that finished without results, and corrupt ones (labels missing,
// kube-burner quantiles that do not parse). A run is written to a
// temporary directory and renamed into place, so a directory holds whole
// runs only.
//
// Latest pairs, per cluster and pool, the newest kube-burner run with the
// one before it: what lowlat results compare --latest compares.
package pull

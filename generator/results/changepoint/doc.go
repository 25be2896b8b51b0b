// Package changepoint finds the runs where a performance series moved to a
// new level, with the E-divisive means method of Hunter and Apache Otava
// (Fleming et al., "Hunter: Using Change Point Detection to Hunt for
// Performance Regressions", ICPE 2023): the energy statistic q-hat picks the
// best split of a sliding window, a significance test decides whether the
// split is real, the halves are split again, and a final merge pass keeps
// only the points that stay significant against their neighbours.
//
// The default method, Rank, changes what is measured, not the search. It
// computes q-hat on the window's ranks, confirms a split with the
// Mann–Whitney rank-sum test (exact counts for short or unbalanced splits),
// and triages what it finds (see Kind). Method Otava keeps Otava's pooled
// t-test on the values and matches Otava's output on 49 recorded series.
//
// Why ranks: CPT histories are short and their latencies heavy-tailed. In the
// CPT talk's case study (fixtures/results/cpt-case-study.csv), the seven runs
// before the kernel regression sit at 0.9–0.98 s and every one of the eight
// after it at 3.7–28.6 s; one spread that wide makes the t-test's p-value
// 0.0054, so Otava reports nothing at p ≤ 0.001. Ranks see eight runs
// above seven, which two of the C(15, 7) = 6435 orders do: p = 0.00031.
// The opposite failure is the single flaky run: its distance to every other
// run dominates q-hat and, on a one-run segment, the t-test has no spread to
// weigh it against, so Otava can report a spike as a regression. Ranks bound
// a run's weight, one run can never be significant alone, and triage reports
// such runs as transient. The cost: a distribution-free test needs enough
// runs, 14 for p ≤ 0.001 (MinConfirmRuns); a move in fewer runs, or in too
// few of the newest, is reported as unconfirmed rather than confirmed or
// dropped. The history package's synthetic benchmark measures both methods'
// precision and recall per class.
package changepoint

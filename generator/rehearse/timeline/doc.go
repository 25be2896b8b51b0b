// Package timeline records what happens during a rehearsal, in modelled
// time: what ArgoCD applied, skipped, rejected or pruned, every health
// transition, and what the cluster twin did (operator installs, drains,
// reboots). The report is built from it.
package timeline

// Package clock is the rehearsal's sense of time: modelled time that runs a
// fixed number of times faster than the wall clock, so that an hour of metal
// reboots and operator installs plays out in seconds while every process
// (the API server, ArgoCD's sync engine, the cluster twin) still acts on
// real timers.
package clock

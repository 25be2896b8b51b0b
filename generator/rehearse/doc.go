// Package rehearse runs a rollout of a rendered lowlat tree the way a
// cluster would run it: a real kube-apiserver and etcd (package e2e) made
// to look like a fresh OpenShift cluster on EC2 by the cluster twin
// (package twin), OpenShift GitOps' application controller played with
// ArgoCD's own sync engine (package appcontroller), the health checks and
// root Application installed as the README tells the user to, and a
// scaled clock (package clock) so that hours of operator installs, drains
// and reboots take a minute.
//
// A rehearsal ends when every Application of the cluster is Synced and
// Healthy (converged), when nothing has happened for the stall window
// (stalled: the report names what each unfinished Application waits for),
// or at the timeout. With a from revision the first rollout syncs that
// revision and then the tree under test, as a push to the tracked branch
// does, and the report shows both passes.
package rehearse

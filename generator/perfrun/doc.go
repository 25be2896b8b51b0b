// Package perfrun renders measured runs: the Jobs that test a tuned pool
// (kube-burner, oslat, cyclictest), so that every change is measured once,
// after the pools run it, and its results come back through the API.
//
// A run is a Job named <series>-<hash of its inputs>: ArgoCD creates a new
// one exactly when an input changes (the pool's tuning, its networks and
// workloads, the test's settings and image), and a commit that changes
// none of them creates none. Git holds only the current run; earlier runs
// stay on the cluster (Prune=false, and IgnoreExtraneous keeps them out of
// the Application's sync status) until the retention pass deletes them.
//
// The run's pod, in order:
//   - waits (init containers, `oc wait`): every pool it measures runs the
//     tuning rendered with it (the pool's tuning marker is in its
//     status.configuration, package tuning), and every node advertises the
//     SR-IOV VFs its networks need;
//   - start (init, start.sh): annotates the Job lowlat.dev/started, and
//     records the time and the git revision its Application synced;
//   - the test (init): its command, wrapped so that its exit status and
//     output land in the results directory (an emptyDir) and the pod goes
//     on to publish whatever the test's verdict;
//   - publish (publish.sh): writes ConfigMap <job>-results with the result
//     files, labelled with cluster, pool, phase, test, tuning hash, run
//     uuid and revision, then exits with the test's status, so a breached
//     threshold fails the Job, and annotates the Job lowlat.dev/verdict
//     with the lines that say why; lowlat's Job health check shows them.
//
// The waits, start and publish use OpenShift's cli image stream, as the
// gates do. The run's account may create and patch ConfigMaps and patch
// Jobs in its own namespace, and read its Application; nothing else
// beyond the test's own rights.
//
// Retention (retention.sh, a CronJob per namespace with runs) deletes
// finished runs beyond a count, never a current run and never one that
// has started and not finished, and results beyond a larger count.
package perfrun

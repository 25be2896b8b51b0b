// Package health holds the ArgoCD resource health checks (Lua scripts) that
// make lowlat's sync waves wait: without a check, ArgoCD considers a custom
// resource healthy as soon as it exists, so the next wave would not wait for
// a pool's reboots or an operator's install.
//
// lowlat ships scripts only for kinds ArgoCD has no built-in check for:
// argoproj.io/Application (removed from the built-ins in ArgoCD 1.8, and what
// an app-of-apps needs to wait for its children), PerformanceProfile,
// MachineConfigPool, MachineSet and HyperConverged. For Subscription it
// relies on the script ArgoCD embeds (resource_customizations), and for Pod
// on ArgoCD's Go check; Builtin lists them. Overrides lists the bundled
// checks lowlat replaces, and why. batch/Job replaces ArgoCD's Go check
// with the same rules plus the verdict of a perf run (a test shows both
// agree on every sample). Tests run every script, ours and the reused ones,
// with gopher-lua against sample resources.
package health

// Package health holds the ArgoCD resource health checks (Lua scripts) that
// make lowlat's sync waves wait: without a check, ArgoCD considers a custom
// resource healthy as soon as it exists, so the next wave would not wait for
// a pool's reboots or an operator's install.
//
// lowlat ships scripts only for kinds ArgoCD has no built-in check for:
// argoproj.io/Application (removed from the built-ins in ArgoCD 1.8, and what
// an app-of-apps needs to wait for its children), PerformanceProfile,
// MachineConfigPool and HyperConverged. For Subscription and VirtualMachine
// it relies on the scripts ArgoCD embeds (resource_customizations), and for
// Job and Pod on ArgoCD's Go checks; Builtin lists them. Tests run every
// script, ours and the reused ones, with gopher-lua against sample resources.
package health

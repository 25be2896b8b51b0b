// Package appcontroller plays ArgoCD's application controller for a
// rehearsal, with ArgoCD's own sync engine: github.com/argoproj/gitops-engine
// at the version argo-cd v3.3.19 pins (pkg/cache for live state, pkg/sync
// for phases, waves, hooks, per-resource sync options, pruning and the
// dry run, pkg/health and pkg/diff). It builds each Application's source
// with kustomize as the repo-server does, tracks resources with ArgoCD's
// annotation, honours the AppProject, judges health with ArgoCD's bundled
// Lua checks (argo-cd v3.3.19 resource_customizations) and the checks the
// cluster's ArgoCD CR or argocd-cm installs, syncs automatically with
// self-heal, prune and retries, and writes each Application's status back
// as the controller does, so an app-of-apps waits on its children.
//
// argo-cd's own controller, util/lua, util/argo and util/settings do not
// compile against that engine (they call engine functions only argo-cd's
// in-repo copy has), so the small parts a rehearsal needs are ported here,
// each naming the argo-cd v3.3.19 file it follows: the tracking
// annotation, the sync and health summary of an Application, the
// automated-sync and retry rules, the delay between sync waves, and how
// health scripts are looked up and run.
package appcontroller

package argocd

import "github.com/lowlat/lowlat/generator/kube"

// APIVersion is the ArgoCD API group version of Applications, AppProjects
// and ApplicationSets.
const APIVersion = "argoproj.io/v1alpha1"

// Annotations ArgoCD reads on the resources it syncs.
const (
	// SyncWaveAnnotation orders resources (and child Applications) within
	// one sync; lower waves are applied and healthy before higher ones.
	SyncWaveAnnotation = "argocd.argoproj.io/sync-wave"
	// SyncOptionsAnnotation holds per-resource sync options, comma separated.
	SyncOptionsAnnotation = "argocd.argoproj.io/sync-options"
	// CompareOptionsAnnotation holds per-resource compare options, comma
	// separated, such as IgnoreExtraneous.
	CompareOptionsAnnotation = "argocd.argoproj.io/compare-options"
)

// Meta is the metadata of an Application or AppProject. It is
// kube.ObjectMeta plus finalizers, which ArgoCD uses for cascading deletion.
type Meta struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Finalizers  []string          `json:"finalizers,omitempty"`
}

// Application is argoproj.io/v1alpha1 Application.
type Application struct {
	kube.TypeMeta `json:",inline"`
	Metadata      Meta            `json:"metadata"`
	Spec          ApplicationSpec `json:"spec"`
}

// ApplicationSpec is the part of an Application's spec lowlat sets.
type ApplicationSpec struct {
	Project     string      `json:"project"`
	Source      Source      `json:"source"`
	Destination Destination `json:"destination"`
	SyncPolicy  *SyncPolicy `json:"syncPolicy,omitempty"`
	// IgnoreDifferences are fields a controller on the cluster owns.
	IgnoreDifferences []IgnoreDifference `json:"ignoreDifferences,omitempty"`
}

// IgnoreDifference is ArgoCD's ResourceIgnoreDifferences: fields of the
// named objects that do not count towards the Application's sync status.
// With the sync option RespectIgnoreDifferences=true a sync keeps their
// live values too.
type IgnoreDifference struct {
	Group        string   `json:"group,omitempty"`
	Kind         string   `json:"kind"`
	Name         string   `json:"name,omitempty"`
	Namespace    string   `json:"namespace,omitempty"`
	JSONPointers []string `json:"jsonPointers"`
}

// Source is a directory of a Git repository at a revision.
type Source struct {
	RepoURL        string `json:"repoURL"`
	Path           string `json:"path"`
	TargetRevision string `json:"targetRevision"`
}

// Destination is a cluster (by API server URL or by ArgoCD name) and the
// namespace of resources that do not name one.
type Destination struct {
	Server    string `json:"server,omitempty"`
	Name      string `json:"name,omitempty"`
	Namespace string `json:"namespace,omitempty"`
}

// SyncPolicy makes ArgoCD sync on its own, and retry.
type SyncPolicy struct {
	Automated   *Automated `json:"automated,omitempty"`
	SyncOptions []string   `json:"syncOptions,omitempty"`
	Retry       *Retry     `json:"retry,omitempty"`
}

// Automated sync: prune deletes what left Git, selfHeal reverts drift.
type Automated struct {
	Prune    bool `json:"prune"`
	SelfHeal bool `json:"selfHeal"`
}

// Retry retries a failed sync with exponential backoff.
type Retry struct {
	Limit   int64   `json:"limit"`
	Backoff Backoff `json:"backoff"`
}

// Backoff is the wait before a retry: Duration, times Factor per attempt,
// at most MaxDuration.
type Backoff struct {
	Duration    string `json:"duration"`
	Factor      int64  `json:"factor"`
	MaxDuration string `json:"maxDuration"`
}

// AppProject is argoproj.io/v1alpha1 AppProject.
type AppProject struct {
	kube.TypeMeta `json:",inline"`
	Metadata      Meta           `json:"metadata"`
	Spec          AppProjectSpec `json:"spec"`
}

// AppProjectSpec restricts what the project's Applications may sync.
// The whitelists have no omitempty: ArgoCD reads a missing
// namespaceResourceWhitelist as "every kind", an empty one as "none".
type AppProjectSpec struct {
	Description                string        `json:"description,omitempty"`
	SourceRepos                []string      `json:"sourceRepos"`
	Destinations               []Destination `json:"destinations"`
	ClusterResourceWhitelist   []GroupKind   `json:"clusterResourceWhitelist"`
	NamespaceResourceWhitelist []GroupKind   `json:"namespaceResourceWhitelist"`
}

// GroupKind names a kind; Group is "" for the core group and is always
// written, as the AppProject CRD requires it.
type GroupKind struct {
	Group string `json:"group"`
	Kind  string `json:"kind"`
}

// ApplicationSet is argoproj.io/v1alpha1 ApplicationSet.
type ApplicationSet struct {
	kube.TypeMeta `json:",inline"`
	Metadata      Meta               `json:"metadata"`
	Spec          ApplicationSetSpec `json:"spec"`
}

// ApplicationSetSpec generates one Application per generator element.
type ApplicationSetSpec struct {
	GoTemplate        bool        `json:"goTemplate"`
	GoTemplateOptions []string    `json:"goTemplateOptions,omitempty"`
	Generators        []Generator `json:"generators"`
	Template          Template    `json:"template"`
}

// Generator is one ApplicationSet generator; lowlat uses the list generator.
type Generator struct {
	List *ListGenerator `json:"list,omitempty"`
}

// ListGenerator yields its elements as template parameters.
type ListGenerator struct {
	Elements []map[string]string `json:"elements"`
}

// Template is the Application an ApplicationSet stamps out.
type Template struct {
	Metadata Meta            `json:"metadata"`
	Spec     ApplicationSpec `json:"spec"`
}

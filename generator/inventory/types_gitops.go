package inventory

// GitOps locates the rendered repository and the ArgoCD that syncs it.
type GitOps struct {
	// RepoURL is the Git repository holding the rendered tree.
	RepoURL string `json:"repoURL,omitempty"`
	// TargetRevision is the branch, tag or commit ArgoCD syncs. Default HEAD.
	TargetRevision string `json:"targetRevision,omitempty"`
	// Path is the directory of the rendered tree inside the repository
	// (where base/, overlays/ and apps/ live). Default ".".
	Path string `json:"path,omitempty"`
	// Namespace is ArgoCD's namespace. Default openshift-gitops.
	Namespace string `json:"namespace,omitempty"`
}

// Destination is an ArgoCD destination cluster: a server URL or a name
// registered in ArgoCD. Default: the cluster ArgoCD runs in.
type Destination struct {
	Server string `json:"server,omitempty"`
	Name   string `json:"name,omitempty"`
}

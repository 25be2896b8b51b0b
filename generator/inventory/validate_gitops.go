package inventory

import (
	"fmt"

	"github.com/lowlat/lowlat/generator/layout"

	"net/url"
	"path"
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// GitOps defaults, in one place.
const (
	// DefaultTargetRevision follows the repository's default branch, which
	// is what ArgoCD itself assumes for an empty targetRevision.
	DefaultTargetRevision = "HEAD"
	// DefaultGitOpsPath puts base/, overlays/ and apps/ at the repository root.
	DefaultGitOpsPath = "."
	// DefaultGitOpsNamespace is where the OpenShift GitOps operator runs its
	// default ArgoCD instance.
	DefaultGitOpsNamespace = "openshift-gitops"
	// InClusterServer is how ArgoCD names the cluster it runs in.
	InClusterServer = "https://kubernetes.default.svc"
)

var (
	// scpLikeURL is the user@host:path form git accepts for SSH.
	scpLikeURL = regexp.MustCompile(`^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+$`)
	// gitRevision is a branch, tag or commit: the characters git allows in
	// ref names, without leading dash or slash.
	gitRevision = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._/+-]*$`)
)

// defaultGitOps fills the repository location and each cluster's destination.
func defaultGitOps(s *Spec) {
	g := &s.GitOps
	if g.TargetRevision == "" {
		g.TargetRevision = DefaultTargetRevision
	}
	if g.Path == "" {
		g.Path = DefaultGitOpsPath
	}
	if g.Namespace == "" {
		g.Namespace = DefaultGitOpsNamespace
	}
	for i := range s.Clusters {
		d := &s.Clusters[i].Destination
		if d.Server == "" && d.Name == "" {
			d.Server = InClusterServer
		}
	}
}

// validateGitOps checks spec.gitops and every cluster's destination. Without
// a repoURL lowlat renders no Applications, so destinations only have to be
// distinct when there is one.
func validateGitOps(s *Spec, p *field.Path) field.ErrorList {
	g, gp := &s.GitOps, p.Child("gitops")
	errs := validateRepoURL(gp.Child("repoURL"), g.RepoURL)
	if !gitRevision.MatchString(g.TargetRevision) || strings.Contains(g.TargetRevision, "..") {
		errs = append(errs, field.Invalid(gp.Child("targetRevision"), g.TargetRevision, "must be a branch, tag or commit such as HEAD, main or v1.2.0"))
	}
	if !isRelativeDir(g.Path) {
		errs = append(errs, field.Invalid(gp.Child("path"), g.Path, `must be a clean relative directory inside the repository, such as "." or "gitops"`))
	}
	errs = append(errs, dnsLabel(gp.Child("namespace"), g.Namespace)...)
	seen := map[string]*field.Path{}
	for i := range s.Clusters {
		c, cp := &s.Clusters[i], p.Child("clusters").Index(i)
		errs = append(errs, reservedClusterName(cp.Child("name"), c.Name)...)
		errs = append(errs, validateDestination(cp.Child("destination"), c.Destination)...)
		key := c.Destination.Server + c.Destination.Name
		if first, dup := seen[key]; dup && g.RepoURL != "" {
			errs = append(errs, duplicateDestination(cp.Child("destination"), c, first))
		} else if !dup {
			seen[key] = cp.Child("destination")
		}
	}
	return errs
}

// duplicateDestination explains two clusters synced to one place. Most
// often both are ArgoCD's own cluster, the default: a second cluster of a
// fleet has to be registered in ArgoCD and named.
func duplicateDestination(p *field.Path, c *Cluster, first *field.Path) *field.Error {
	d := c.Destination.Server + c.Destination.Name
	if c.Destination.Server != InClusterServer {
		return field.Duplicate(p, fmt.Sprintf("%s (also %s); each cluster needs its own ArgoCD destination", d, first))
	}
	return field.Invalid(p, InClusterServer, fmt.Sprintf(
		"this cluster and %s both sync to ArgoCD's own cluster (%s, the destination when none is set), and only one cluster is the one ArgoCD runs in. "+
			"Register cluster %s in ArgoCD (argocd cluster add CONTEXT --name %s, or a cluster secret) and write destination: {name: %s}",
		strings.TrimSuffix(first.String(), ".destination"), InClusterServer, c.Name, c.Name, c.Name))
}

func validateRepoURL(p *field.Path, repo string) field.ErrorList {
	if repo == "" || scpLikeURL.MatchString(repo) {
		return nil
	}
	u, err := url.Parse(repo)
	switch {
	case err != nil, strings.ContainsAny(repo, " \t\n"):
		return fieldErr(field.Invalid(p, repo, "must be a Git URL such as https://github.com/org/repo.git or git@github.com:org/repo.git"))
	case u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "ssh" && u.Scheme != "git":
		return fieldErr(field.Invalid(p, repo, "must use https, http, ssh or git, or the git@host:path form"))
	case u.Host == "":
		return fieldErr(field.Invalid(p, repo, "has no host"))
	}
	return nil
}

func validateDestination(p *field.Path, d Destination) field.ErrorList {
	if d.Server != "" && d.Name != "" {
		return fieldErr(field.Invalid(p, d.Server+" / "+d.Name, "set server or name, not both (ArgoCD refuses both)"))
	}
	if d.Name != "" && strings.ContainsAny(d.Name, " \t\n/") {
		return fieldErr(field.Invalid(p.Child("name"), d.Name, "must be the name of a cluster registered in ArgoCD, without spaces or slashes"))
	}
	if d.Server != "" {
		if u, err := url.Parse(d.Server); err != nil || u.Scheme != "https" || u.Host == "" {
			return fieldErr(field.Invalid(p.Child("server"), d.Server, "must be an https:// API server URL such as "+InClusterServer))
		}
	}
	return nil
}

func reservedClusterName(p *field.Path, name string) field.ErrorList {
	for _, r := range layout.ReservedClusterNames {
		if name == r {
			return fieldErr(field.Invalid(p, name, "is reserved: apps/"+name+"/ holds lowlat's own ArgoCD files"))
		}
	}
	return nil
}

// isRelativeDir reports whether p is a clean slash path inside the repository.
func isRelativeDir(p string) bool {
	return p != "" && path.Clean(p) == p && !path.IsAbs(p) && p != ".." &&
		!strings.HasPrefix(p, "../") && !strings.ContainsAny(p, `\ `)
}

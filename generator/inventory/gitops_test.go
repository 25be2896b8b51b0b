package inventory

import (
	"errors"
	"strings"
	"testing"
)

// gitopsInventory has one cluster; %s is replaced by a gitops section and
// the cluster's extra fields.
const gitopsInventory = `apiVersion: lowlat.dev/v1alpha1
kind: Inventory
metadata:
  name: test
spec:
  openshift:
    version: "4.20"
  gitops:
GITOPS
  clusters:
  - name: NAME
    region: us-east-2
    DESTINATION
    nodePools:
    - {name: cnf, instanceType: c5.metal, replicas: 1, machineSet: false, tuning: {reservedCPUs: 4}}
  - name: second
    region: us-west-2
    SECOND
    nodePools:
    - {name: cnf, instanceType: c5.metal, replicas: 1, machineSet: false, tuning: {reservedCPUs: 4}}
`

func gitopsDoc(gitops, name, destination, second string) string {
	r := strings.NewReplacer("GITOPS", gitops, "NAME", name, "DESTINATION", destination, "SECOND", second)
	return r.Replace(gitopsInventory)
}

func TestGitOpsDefaults(t *testing.T) {
	inv, err := Parse([]byte(gitopsDoc("    repoURL: https://github.com/o/r.git", "lab1", "", "destination: {name: west}")), "inv.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	g := inv.Spec.GitOps
	if g.TargetRevision != "HEAD" || g.Path != "." || g.Namespace != "openshift-gitops" {
		t.Errorf("defaults: %+v", g)
	}
	if d := inv.Spec.Clusters[0].Destination; d.Server != InClusterServer || d.Name != "" {
		t.Errorf("first cluster's destination %+v, want the cluster ArgoCD runs in", d)
	}
	if d := inv.Spec.Clusters[1].Destination; d.Server != "" || d.Name != "west" {
		t.Errorf("a named destination was changed: %+v", d)
	}
}

func TestGitOpsProblemsAreReportedWithTheirField(t *testing.T) {
	for _, tc := range []struct {
		name                               string
		gitops, cluster, destination, west string
		path, message                      string
	}{
		{name: "a repository URL with a space", gitops: "    repoURL: https://github.com/o/my repo",
			path: "spec.gitops.repoURL", message: "Git URL"},
		{name: "a repository URL over FTP", gitops: "    repoURL: ftp://example.com/r.git",
			path: "spec.gitops.repoURL", message: "https, http, ssh or git"},
		{name: "a revision that is a range", gitops: "    targetRevision: main..dev",
			path: "spec.gitops.targetRevision", message: "branch, tag or commit"},
		{name: "a path out of the repository", gitops: "    path: ../elsewhere",
			path: "spec.gitops.path", message: "clean relative directory"},
		{name: "an absolute path", gitops: "    path: /srv/gitops",
			path: "spec.gitops.path", message: "clean relative directory"},
		{name: "a namespace that is not a label", gitops: "    namespace: Open_GitOps",
			path: "spec.gitops.namespace", message: "RFC 1123"},
		{name: "a cluster named like lowlat's own apps directory", gitops: "    path: .", cluster: "health",
			path: "spec.clusters[0].name", message: "reserved"},
		{name: "both a server and a name", gitops: "    path: .", destination: "destination: {server: https://api.lab:6443, name: lab}",
			path: "spec.clusters[0].destination", message: "not both"},
		{name: "a server that is not https", gitops: "    path: .", destination: "destination: {server: http://api.lab:6443}",
			path: "spec.clusters[0].destination.server", message: "https:// API server URL"},
		{name: "a second cluster left on ArgoCD's own cluster, the default", gitops: "    repoURL: git@github.com:o/r.git",
			path: "spec.clusters[1].destination", message: "Register cluster second in ArgoCD (argocd cluster add CONTEXT --name second, or a cluster secret) and write destination: {name: second}"},
		{name: "two clusters synced to one named destination", gitops: "    repoURL: git@github.com:o/r.git",
			destination: "destination: {name: west}", west: "destination: {name: west}",
			path: "spec.clusters[1].destination", message: "Duplicate value: \"west (also spec.clusters[0].destination); each cluster needs its own"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := tc.cluster
			if name == "" {
				name = "lab1"
			}
			_, err := Parse([]byte(gitopsDoc(tc.gitops, name, tc.destination, tc.west)), "inv.yaml", ".")
			var invErr *Error
			if !errors.As(err, &invErr) {
				t.Fatalf("got %v, want an inventory error", err)
			}
			for _, p := range invErr.Problems {
				if p.Path == tc.path && strings.Contains(p.Message, tc.message) && p.Line > 0 {
					return
				}
			}
			t.Errorf("no problem at %s mentioning %q with a line; got:\n%v", tc.path, tc.message, err)
		})
	}
}

func TestDestinationsMayRepeatWithoutARepository(t *testing.T) {
	if _, err := Parse([]byte(gitopsDoc("    path: .", "lab1", "", "")), "inv.yaml", "."); err != nil {
		t.Fatalf("two clusters without a repository are fine: %v", err)
	}
}

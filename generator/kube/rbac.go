package kube

// RBACGroup is the API group of roles and their bindings, and RBACAPIVersion
// their apiVersion.
const (
	RBACGroup      = "rbac.authorization.k8s.io"
	RBACAPIVersion = RBACGroup + "/v1"
)

// ClusterRole is rbac.authorization.k8s.io/v1 ClusterRole.
type ClusterRole struct {
	TypeMeta `json:",inline"`
	Metadata ObjectMeta   `json:"metadata"`
	Rules    []PolicyRule `json:"rules"`
}

// Role is rbac.authorization.k8s.io/v1 Role.
type Role struct {
	TypeMeta `json:",inline"`
	Metadata ObjectMeta   `json:"metadata"`
	Rules    []PolicyRule `json:"rules"`
}

// PolicyRule grants verbs on resources.
type PolicyRule struct {
	APIGroups     []string `json:"apiGroups"`
	Resources     []string `json:"resources"`
	ResourceNames []string `json:"resourceNames,omitempty"`
	Verbs         []string `json:"verbs"`
}

// ClusterRoleBinding is rbac.authorization.k8s.io/v1 ClusterRoleBinding.
type ClusterRoleBinding struct {
	TypeMeta `json:",inline"`
	Metadata ObjectMeta `json:"metadata"`
	RoleRef  RoleRef    `json:"roleRef"`
	Subjects []Subject  `json:"subjects"`
}

// RoleBinding is rbac.authorization.k8s.io/v1 RoleBinding.
type RoleBinding struct {
	TypeMeta `json:",inline"`
	Metadata ObjectMeta `json:"metadata"`
	RoleRef  RoleRef    `json:"roleRef"`
	Subjects []Subject  `json:"subjects"`
}

// RoleRef names the role a binding grants.
type RoleRef struct {
	APIGroup string `json:"apiGroup"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
}

// Subject is who a binding grants the role to.
type Subject struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
}

// AccountSubject is a service account as a binding's subject.
func AccountSubject(name, namespace string) Subject {
	return Subject{Kind: "ServiceAccount", Name: name, Namespace: namespace}
}

// ClusterRoleGrant is a ClusterRole with rules and the ClusterRoleBinding
// that grants it to subjects, both with meta (name, labels, annotations).
func ClusterRoleGrant(meta ObjectMeta, rules []PolicyRule, subjects ...Subject) (ClusterRole, ClusterRoleBinding) {
	return ClusterRole{TypeMeta: TypeMeta{APIVersion: RBACAPIVersion, Kind: "ClusterRole"}, Metadata: meta, Rules: rules},
		ClusterRoleBinding{
			TypeMeta: TypeMeta{APIVersion: RBACAPIVersion, Kind: "ClusterRoleBinding"}, Metadata: meta,
			RoleRef: RoleRef{APIGroup: RBACGroup, Kind: "ClusterRole", Name: meta.Name}, Subjects: subjects,
		}
}

// RoleGrant is a Role with rules in meta's namespace and the RoleBinding
// that grants it to subjects, both with meta.
func RoleGrant(meta ObjectMeta, rules []PolicyRule, subjects ...Subject) (Role, RoleBinding) {
	return Role{TypeMeta: TypeMeta{APIVersion: RBACAPIVersion, Kind: "Role"}, Metadata: meta, Rules: rules},
		RoleBinding{
			TypeMeta: TypeMeta{APIVersion: RBACAPIVersion, Kind: "RoleBinding"}, Metadata: meta,
			RoleRef: RoleRef{APIGroup: RBACGroup, Kind: "Role", Name: meta.Name}, Subjects: subjects,
		}
}

package e2e

import (
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// WriteKubeconfig writes a kubeconfig that reaches the API server as
// Config does (a member of system:masters), in namespace, for kubectl and
// the scripts tests run with it.
func (c *Cluster) WriteKubeconfig(file, namespace string) error {
	cfg := c.Config
	kc := clientcmdapi.NewConfig()
	cluster := clientcmdapi.NewCluster()
	cluster.Server, cluster.CertificateAuthority, cluster.CertificateAuthorityData = cfg.Host, cfg.CAFile, cfg.CAData
	user := clientcmdapi.NewAuthInfo()
	user.Token, user.TokenFile = cfg.BearerToken, cfg.BearerTokenFile
	user.ClientCertificate, user.ClientCertificateData, user.ClientKey, user.ClientKeyData = cfg.CertFile, cfg.CertData, cfg.KeyFile, cfg.KeyData
	ctx := clientcmdapi.NewContext()
	ctx.Cluster, ctx.AuthInfo, ctx.Namespace = "e2e", "admin", namespace
	kc.Clusters["e2e"], kc.AuthInfos["admin"], kc.Contexts["e2e"], kc.CurrentContext = cluster, user, ctx, "e2e"
	return clientcmd.WriteToFile(*kc, file)
}

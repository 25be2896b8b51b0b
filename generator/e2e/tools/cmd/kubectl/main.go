// Command kubectl is the upstream Kubernetes CLI, built from the same
// k8s.io/kubernetes module as kube-apiserver (cmd/kubectl/kubectl.go at the
// pinned version), so the cluster twin can run a container's shell script
// with kubectl, and oc as another name for it, against its API server.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/component-base/logs"
	"k8s.io/kubectl/pkg/cmd"
	"k8s.io/kubectl/pkg/cmd/util"

	// Import to initialize client auth plugins.
	_ "k8s.io/client-go/plugin/pkg/client/auth"
)

func main() {
	// As upstream: the verbosity is parsed before the command is built so
	// that klog works while kubectl reads its plugins and .kuberc.
	logs.GlogSetter(cmd.GetLogVerbosity(os.Args)) // nolint:errcheck
	command := cmd.NewDefaultKubectlCommand()
	if err := cli.RunNoErrOutput(command); err != nil {
		util.CheckErr(err)
	}
}

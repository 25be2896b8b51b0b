package twin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/lowlat/lowlat/generator/rehearse/timeline"
)

// Limits of one run of a script. A run is one pass: the twin's controllers
// wait while it runs, so it must end within scriptTimeout of real time
// (a script that loops with sleep never does; a CronJob runs the pass
// again instead).
const (
	scriptTimeout = time.Minute
	// scriptOutput is how much of a script's output the twin keeps, from
	// the end; scriptLines of its last lines go on the timeline.
	scriptOutput = 64 << 10
	scriptLines  = 5
)

// errNotMounted is a script container whose ConfigMap volume cannot be
// mounted yet: the container does not start, as the kubelet retries.
var errNotMounted = errors.New("not mounted")

// script runs a container's shell script for real, in one go: the pod's
// ConfigMap volumes are copied into a temporary directory and the
// script's paths under their mounts rewritten to the copies; PATH starts
// with a directory where oc and kubectl are both the e2e tools' kubectl;
// KUBECONFIG reaches the twin's API server as the pod's service account
// (the identity process.client impersonates, so RBAC is the API server's
// own); the environment is the container's (values, the pod's namespace,
// name and service account, ConfigMap keys) and nothing of the twin's.
// The shell's exit code is the container's; a script that succeeds puts
// the last lines of its output on the timeline, one that fails hands them
// to the Job's failure. The script runs as the user rehearsing, on this
// machine: rehearse only trees whose scripts you would run yourself.
func (p *process) script(ctx context.Context, c *corev1.Container, state *any) (int, string, bool) {
	dir, err := os.MkdirTemp(p.t.scratch(), "run-")
	if err != nil {
		return 1, err.Error(), true
	}
	defer os.RemoveAll(dir)
	sh, env, err := p.prepare(ctx, c, dir)
	switch {
	case errors.Is(err, errNotMounted):
		if *state == nil {
			*state = "waiting"
			p.t.rec.Add(timeline.Event{Kind: timeline.Run, Resource: p.ref(), Status: "FailedMount", Message: err.Error()})
		}
		return 0, "", false
	case err != nil:
		return 1, err.Error(), true
	}
	exit, out := p.exec(ctx, sh, env, dir)
	if ctx.Err() != nil {
		// The twin is stopping: the pass was cut short, not failed.
		return 0, "", false
	}
	msg := tail(out, scriptLines)
	if exit == 0 {
		p.t.rec.Add(timeline.Event{Kind: timeline.Run, Resource: p.ref(), Status: "Ran", Message: fmt.Sprintf("container %s: %s", c.Name, orDefault(msg, "no output"))})
	}
	return exit, msg, true
}

// prepare resolves the container's environment and argv, copies its
// ConfigMap volumes into dir and points the script's paths at them.
func (p *process) prepare(ctx context.Context, c *corev1.Container, dir string) (*shellScript, []string, error) {
	vars, err := p.containerEnv(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	sh, _, err := shellScriptOf(expandArgv(c, vars))
	if err != nil {
		return nil, nil, err
	}
	mounts, err := p.mountConfigMaps(ctx, c, filepath.Join(dir, "volumes"))
	if err != nil {
		return nil, nil, err
	}
	for from, to := range p.extraMounts {
		mounts[from] = to
	}
	sh.rewritePaths(mounts)
	if !sh.inline && !underAny(sh.args[sh.at], mounts) {
		return nil, nil, fmt.Errorf("script %s is not on a ConfigMap volume of the pod, so the twin cannot run it", sh.args[sh.at])
	}
	env, err := p.scriptEnv(dir, vars)
	return sh, env, err
}

// expandArgv is the container's command and args with $(NAME) references
// to its variables expanded.
func expandArgv(c *corev1.Container, vars [][2]string) []string {
	var argv []string
	for _, a := range append(append([]string(nil), c.Command...), c.Args...) {
		argv = append(argv, expandVars(a, lookupIn(vars)))
	}
	return argv
}

func lookupIn(vars [][2]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		for i := len(vars) - 1; i >= 0; i-- {
			if vars[i][0] == name {
				return vars[i][1], true
			}
		}
		return "", false
	}
}

func (p *process) ref() string { return "Job " + p.namespace + "/" + p.job }

func underAny(file string, mounts map[string]string) bool {
	for _, copy := range mounts {
		if strings.HasPrefix(file, copy+string(filepath.Separator)) || file == copy {
			return true
		}
	}
	return false
}

// exec runs the shell of this machine on the script, at most
// scriptTimeout, and returns its exit code and the end of its output.
func (p *process) exec(ctx context.Context, sh *shellScript, env []string, dir string) (int, string) {
	shell := "/bin/" + sh.shell
	if _, err := os.Stat(shell); err != nil {
		if shell, err = exec.LookPath(sh.shell); err != nil {
			return 127, sh.shell + " is not installed on this machine"
		}
	}
	ctx, cancel := context.WithTimeout(ctx, scriptTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, shell, sh.args...)
	cmd.Env, cmd.Dir = env, dir
	// kubectl children of a killed shell may hold the output open.
	cmd.WaitDelay = 5 * time.Second
	out := &tailBuffer{max: scriptOutput}
	cmd.Stdout, cmd.Stderr = out, out
	err := cmd.Run()
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return 124, out.String() + fmt.Sprintf("\nkilled after %s: a pass must finish at once (no sleep loops)", scriptTimeout)
	case err == nil:
		return 0, out.String()
	case cmd.ProcessState != nil && cmd.ProcessState.ExitCode() > 0:
		return cmd.ProcessState.ExitCode(), out.String()
	}
	return 1, out.String() + "\n" + err.Error()
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	buf bytes.Buffer
	max int
}

func (b *tailBuffer) Write(data []byte) (int, error) {
	n, _ := b.buf.Write(data)
	if over := b.buf.Len() - b.max; over > 0 {
		b.buf.Next(over)
	}
	return n, nil
}

func (b *tailBuffer) String() string { return b.buf.String() }

// scriptEnv is the environment of a script: HOME (kubectl's caches) in
// the run's directory, PATH with oc and kubectl first, KUBECONFIG as the
// pod's service account, HOSTNAME the pod's name, then the container's
// variables.
func (p *process) scriptEnv(dir string, vars [][2]string) ([]string, error) {
	bin, err := p.t.toolsBin()
	if err != nil {
		return nil, err
	}
	kubeconfig := filepath.Join(dir, "kubeconfig")
	if err := p.writeKubeconfig(kubeconfig); err != nil {
		return nil, err
	}
	path := "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	env := []string{"HOME=" + filepath.Join(dir, "home"), "KUBECONFIG=" + kubeconfig, "HOSTNAME=" + p.pod}
	for _, v := range vars {
		if v[0] == "PATH" {
			path = v[1]
			continue
		}
		env = append(env, v[0]+"="+v[1])
	}
	if p.extraPath != "" {
		bin = p.extraPath + ":" + bin
	}
	return append(env, "PATH="+bin+":"+path), os.MkdirAll(filepath.Join(dir, "home"), 0o700)
}

// writeKubeconfig writes a kubeconfig for the twin's API server that acts
// as the pod's service account, in the pod's namespace.
func (p *process) writeKubeconfig(file string) error {
	cfg, id := p.t.cfg, p.identity()
	kc := clientcmdapi.NewConfig()
	cluster := clientcmdapi.NewCluster()
	cluster.Server = cfg.Host
	cluster.CertificateAuthority, cluster.CertificateAuthorityData = cfg.CAFile, cfg.CAData
	user := clientcmdapi.NewAuthInfo()
	user.Token, user.TokenFile = cfg.BearerToken, cfg.BearerTokenFile
	user.ClientCertificate, user.ClientCertificateData = cfg.CertFile, cfg.CertData
	user.ClientKey, user.ClientKeyData = cfg.KeyFile, cfg.KeyData
	user.Impersonate, user.ImpersonateGroups = id.UserName, id.Groups
	current := clientcmdapi.NewContext()
	current.Cluster, current.AuthInfo, current.Namespace = "twin", "pod", p.namespace
	kc.Clusters["twin"], kc.AuthInfos["pod"], kc.Contexts["twin"] = cluster, user, current
	kc.CurrentContext = "twin"
	return clientcmd.WriteToFile(*kc, file)
}

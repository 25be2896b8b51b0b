package e2e

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"k8s.io/client-go/rest"
)

// e2eUser is the identity the harness acts as: a member of system:masters,
// which RBAC lets do anything, so every rejection comes from validation.
const e2eUser = "lowlat-e2e"

// bindAttempts bounds retries when the port picked for the API server is
// taken by someone else between picking and binding.
const bindAttempts = 3

// startAPIServer writes the token file and service-account key, then runs
// kube-apiserver against etcdURL until /readyz answers.
func (c *Cluster) startAPIServer(ctx context.Context, bin, etcdURL string) error {
	token, err := c.writeCredentials()
	if err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return err
		}
		err = c.runAPIServer(ctx, bin, etcdURL, port, token)
		if err == nil || attempt == bindAttempts || !c.apiserver.exited() ||
			!strings.Contains(c.apiserver.logTail(50), "address already in use") {
			return err
		}
	}
}

func (c *Cluster) runAPIServer(ctx context.Context, bin, etcdURL string, port int, token string) error {
	certDir := filepath.Join(c.Dir, "certs")
	p, err := startProcess("kube-apiserver", bin, filepath.Join(c.Dir, "kube-apiserver.log"),
		apiserverArgs(c.Dir, certDir, etcdURL, port)...)
	if err != nil {
		return err
	}
	c.apiserver = p
	c.Config = &rest.Config{
		Host:        "https://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		BearerToken: token,
		// The API server generates a self-signed serving certificate and its
		// CA into --cert-dir; the bundle it writes is all a client trusts.
		TLSClientConfig: rest.TLSClientConfig{CAFile: filepath.Join(certDir, "apiserver.crt")},
		// A few hundred requests per run: the default 5 QPS client-side
		// limit would dominate the run time.
		QPS:   1000,
		Burst: 1000,
	}
	return poll(ctx, p, apiserverReadyTimeout, func() error { return c.readyz(ctx, certDir) })
}

// apiserverArgs are the flags a loopback API server needs: no node, no
// controller manager, nothing dialled but etcd.
func apiserverArgs(dir, certDir, etcdURL string, port int) []string {
	key := filepath.Join(dir, "service-account.key")
	return []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
		"--cert-dir=" + certDir,
		"--token-auth-file=" + filepath.Join(dir, "tokens.csv"),
		"--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file=" + key,
		"--service-account-signing-key-file=" + key,
		// Only configuration: nothing routes to the service network.
		"--service-cluster-ip-range=10.96.0.0/16",
		// With no controller manager no default ServiceAccount is ever
		// created, and this plug-in would reject every Pod for lacking one.
		"--disable-admission-plugins=ServiceAccount",
		// OpenShift's API server allows privileged containers and leaves the
		// decision to security context constraints; latency tests need them.
		"--allow-privileged=true",
	}
}

// writeCredentials writes a random bearer token for e2eUser and an RSA key
// for signing service-account tokens, and returns the token.
func (c *Cluster) writeCredentials() (string, error) {
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	token := hex.EncodeToString(raw)
	line := fmt.Sprintf("%s,%s,%s,system:masters\n", token, e2eUser, e2eUser)
	if err := os.WriteFile(filepath.Join(c.Dir, "tokens.csv"), []byte(line), 0o600); err != nil {
		return "", fmt.Errorf("token file: %w", err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", fmt.Errorf("service-account key: %w", err)
	}
	block := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(filepath.Join(c.Dir, "service-account.key"), block, 0o600); err != nil {
		return "", fmt.Errorf("service-account key: %w", err)
	}
	return token, nil
}

// readyz asks the API server whether all its post-start hooks (RBAC
// bootstrap, CRD establishment, priority classes) have finished.
func (c *Cluster) readyz(ctx context.Context, certDir string) error {
	if _, err := os.Stat(filepath.Join(certDir, "apiserver.crt")); err != nil {
		return errNotReady
	}
	hc, err := rest.HTTPClientFor(c.Config)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Config.Host+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("readyz %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return nil
}

// freePort asks the kernel for a free loopback port. The API server cannot
// take a listener from its parent, so the port is released and bound again;
// startAPIServer retries if someone else took it meanwhile.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

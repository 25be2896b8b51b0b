package twin

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"sync"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// A real operator's admission webhook is a Service in front of its
// deployment; the twin serves every operator's webhooks from one HTTPS
// listener on loopback, and registers them with URL client configs.

// admit judges one admission request: allowed, or denied with a message.
type admit func(req *admissionv1.AdmissionRequest) (bool, string)

// hook is one webhook path: its judgement, and whether its operator's
// deployment is serving. While it is not, the connection is dropped, so
// the API server fails the call as it does when a Service has no ready
// endpoints; with failurePolicy Fail that rejects the request.
type hook struct {
	admit   admit
	serving func() bool
}

// webhookServer serves the twin's webhooks.
type webhookServer struct {
	url      string
	caBundle []byte
	srv      *http.Server
	mu       sync.Mutex
	hooks    map[string]hook
}

// startWebhooks listens on a loopback port with a certificate for
// 127.0.0.1 signed by a CA made for this run.
func startWebhooks() (*webhookServer, error) {
	cert, ca, err := selfSigned()
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("webhook listener: %w", err)
	}
	w := &webhookServer{url: "https://" + l.Addr().String(), caBundle: ca, hooks: map[string]hook{}}
	w.srv = &http.Server{Handler: w, TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = w.srv.ServeTLS(l, "", "") }()
	return w, nil
}

func (w *webhookServer) stop(ctx context.Context) { _ = w.srv.Shutdown(ctx) }

// handle registers a webhook path.
func (w *webhookServer) handle(path string, h hook) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.hooks[path] = h
}

func (w *webhookServer) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock()
	h, ok := w.hooks[r.URL.Path]
	w.mu.Unlock()
	if !ok {
		http.NotFound(rw, r)
		return
	}
	if h.serving != nil && !h.serving() {
		dropConnection(rw)
		return
	}
	var review admissionv1.AdmissionReview
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err == nil {
		err = json.Unmarshal(body, &review)
	}
	if err != nil || review.Request == nil {
		http.Error(rw, "not an AdmissionReview", http.StatusBadRequest)
		return
	}
	allowed, msg := h.admit(review.Request)
	resp := &admissionv1.AdmissionResponse{UID: review.Request.UID, Allowed: allowed}
	if !allowed {
		resp.Result = &metav1.Status{Status: metav1.StatusFailure, Message: msg, Code: http.StatusForbidden, Reason: metav1.StatusReasonForbidden}
	}
	review.Response = resp
	review.Request = nil
	rw.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(rw).Encode(review)
}

func dropConnection(rw http.ResponseWriter) {
	hj, ok := rw.(http.Hijacker)
	if !ok {
		http.Error(rw, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// selfSigned makes a CA and a serving certificate for 127.0.0.1.
func selfSigned() (tls.Certificate, []byte, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "lowlat-twin-webhook-ca"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caTmpl, &key.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	cert, err := tls.X509KeyPair(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	return cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), err
}

// webhookConfig is a ValidatingWebhookConfiguration for one webhook of an
// operator, as OLM creates it from the CSV's webhookdefinitions: failure
// policy Fail, the rules of the operator's own definition.
func (w *webhookServer) webhookConfig(name, hookName, path string, rules []any) map[string]any {
	cfg := object("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "", name)
	cfg["webhooks"] = []any{map[string]any{
		"name":                    hookName,
		"admissionReviewVersions": []any{"v1"},
		"sideEffects":             "None",
		"failurePolicy":           "Fail",
		"timeoutSeconds":          int64(10),
		"clientConfig":            map[string]any{"url": w.url + path, "caBundle": w.caBundle},
		"rules":                   rules,
	}}
	return cfg
}

// rule is one admission rule: operations on resources of a group.
func rule(group, version, resource string, operations ...string) map[string]any {
	ops := make([]any, len(operations))
	for i, o := range operations {
		ops[i] = o
	}
	return map[string]any{
		"apiGroups": []any{group}, "apiVersions": []any{version},
		"resources": []any{resource}, "operations": ops,
	}
}

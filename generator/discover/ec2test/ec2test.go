package ec2test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Call is one request the server answered.
type Call struct {
	Action string
	Form   url.Values
	// Authorization is the request's SigV4 header; its credential scope
	// names the signing region.
	Authorization string
	// Attempt is the SDK's attempt number of the request (its
	// amz-sdk-request header, "attempt=N; max=M"): above 1, a retry.
	Attempt int
}

// newCall records a request.
func newCall(r *http.Request) Call {
	c := Call{Action: r.PostForm.Get("Action"), Form: r.PostForm, Authorization: r.Header.Get("Authorization"), Attempt: 1}
	for _, part := range strings.Split(r.Header.Get("amz-sdk-request"), ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "attempt="); ok {
			if n, err := strconv.Atoi(v); err == nil {
				c.Attempt = n
			}
		}
	}
	return c
}

// Server answers each EC2 action from <dir>/<Action>.xml, or, for a page
// after the first, <dir>/<Action>.<NextToken>.xml, trying dirs in order.
// Answers queued with Queue are sent first, one per request of that action.
type Server struct {
	*httptest.Server
	t    testing.TB
	dirs []string

	mu     sync.Mutex
	queued map[string][]string
	calls  []Call
}

// New starts a server over fixture directories; it stops with the test.
func New(t testing.TB, dirs ...string) *Server {
	s := &Server{t: t, dirs: dirs, queued: map[string][]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Queue sets the answers to the next requests of action, one file each. A
// file holding an EC2 <Response><Errors> document is sent with the HTTP
// status EC2 uses for its error code.
func (s *Server) Queue(action string, files ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queued[action] = append(s.queued[action], files...)
}

// Calls returns the requests answered so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// FirstAttempts returns the requests that started an operation, in
// order: whatever the SDK's retryer then resent (a throttled call, or a
// connection a loaded test machine dropped) left out.
func (s *Server) FirstAttempts() []Call { return firstAttempts(s.Calls()) }

// Operations returns the action of each operation the client started.
func (s *Server) Operations() []string { return actions(s.FirstAttempts()) }

func firstAttempts(calls []Call) []Call {
	var out []Call
	for _, c := range calls {
		if c.Attempt <= 1 {
			out = append(out, c)
		}
	}
	return out
}

func actions(calls []Call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Action)
	}
	return out
}

// Actions returns the action of each request answered so far, in order.
func (s *Server) Actions() []string {
	var out []string
	for _, c := range s.Calls() {
		out = append(out, c.Action)
	}
	return out
}

// Env points the SDK's standard configuration at the server, with static
// test credentials and no profile, metadata service or retry settings from
// the machine running the test.
func (s *Server) Env(t testing.TB) {
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL_EC2":        s.URL,
		"AWS_ENDPOINT_URL":            "",
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_ACCESS_KEY_ID":           "AKIDLOWLATTEST",
		"AWS_SECRET_ACCESS_KEY":       "lowlat-test-secret",
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_REGION":                  "",
		"AWS_DEFAULT_REGION":          "",
		"AWS_MAX_ATTEMPTS":            "",
		"AWS_RETRY_MODE":              "",
	} {
		t.Setenv(k, v)
	}
}

var errorCode = regexp.MustCompile(`<Code>([^<]+)</Code>`)

// statusOf is the HTTP status EC2 sends with an error code.
func statusOf(code string) int {
	switch code {
	case "UnauthorizedOperation", "AuthFailure":
		return http.StatusForbidden
	case "RequestLimitExceeded", "Unavailable":
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	action := r.PostForm.Get("Action")
	s.mu.Lock()
	s.calls = append(s.calls, newCall(r))
	var file string
	if q := s.queued[action]; len(q) > 0 {
		file, s.queued[action] = q[0], q[1:]
	}
	s.mu.Unlock()
	status := http.StatusOK
	if file == "" {
		file = s.find(action, r.PostForm.Get("NextToken"))
	}
	body, err := os.ReadFile(file)
	if err != nil {
		s.t.Errorf("ec2test: no answer for %s: %v", action, err)
		http.Error(w, "no fixture", http.StatusNotImplemented)
		return
	}
	if m := errorCode.FindSubmatch(body); m != nil {
		status = statusOf(string(m[1]))
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (s *Server) find(action, token string) string {
	name := action + ".xml"
	if token != "" {
		name = action + "." + token + ".xml"
	}
	for _, dir := range s.dirs {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return filepath.Join(s.dirs[0], name)
}

package ec2test

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Cloud is a stateful EC2 of instance types, instances, subnets and ENIs
// behind a loopback server: it answers DescribeInstances,
// DescribeInstanceTypes, DescribeNetworkInterfaces, CreateNetworkInterface,
// AttachNetworkInterface, ModifyNetworkInterfaceAttribute and
// DeleteNetworkInterface, keeps what they change, and injects the faults a
// run against real EC2 meets.
type Cloud struct {
	*httptest.Server
	t testing.TB
	// PageSize is how many items a Describe* page holds when the request
	// sets no MaxResults; 0 answers everything in one page.
	PageSize int

	mu        sync.Mutex
	types     map[string]InstanceType
	subnets   map[string]string // subnet ID → availability zone
	instances []*Instance
	enis      map[string]*ENI
	tokens    map[string]string // CreateNetworkInterface ClientToken → ENI ID
	seq       int
	calls     []Call
	counts    map[string]int
	faults    map[string][]apiError
	terminate []termination
}

// Instance is an instance of the Cloud.
type Instance struct {
	ID, Type, Zone, Subnet string
	State                  string // running unless set
	Tags                   map[string]string
	// MaxENIs caps the ENIs EC2 lets this instance have over all its
	// network cards, below what its type's cards take: a limit
	// DescribeInstanceTypes does not show, refused with
	// AttachmentLimitExceeded. 0 is no cap beyond the type's.
	MaxENIs int
}

// ENI is a network interface of the Cloud.
type ENI struct {
	ID, Subnet, Zone, Description string
	Tags                          map[string]string
	Attachment                    *Attachment // nil when available
}

// Attachment attaches an ENI to an instance.
type Attachment struct {
	ID, InstanceID                string
	DeviceIndex, NetworkCardIndex int
	DeleteOnTermination           bool
}

// Status is the ENI's EC2 status: in-use when attached, else available.
func (e ENI) Status() string {
	if e.Attachment != nil {
		return "in-use"
	}
	return "available"
}

type apiError struct{ code, message string }

type termination struct {
	action   string
	after    int
	instance string
}

// NewCloud starts a cloud that knows the instance types of knownTypes and
// has nothing else; it stops with the test.
func NewCloud(t testing.TB) *Cloud {
	c := &Cloud{t: t, types: map[string]InstanceType{}, subnets: map[string]string{}, enis: map[string]*ENI{}, tokens: map[string]string{},
		counts: map[string]int{}, faults: map[string][]apiError{}}
	for _, it := range knownTypes {
		c.types[it.Name] = it
	}
	c.Server = httptest.NewServer(http.HandlerFunc(c.serve))
	t.Cleanup(c.Close)
	return c
}

// Env points the SDK's standard configuration at the cloud, as Server.Env
// does for recorded answers.
func (c *Cloud) Env(t testing.TB) { (&Server{Server: c.Server}).Env(t) }

// AddSubnet adds a subnet in zone.
func (c *Cloud) AddSubnet(id, zone string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.subnets[id] = zone
}

// AddInstance adds an instance with its primary ENI: device 0 of card 0 in
// the instance's subnet, deleted with the instance, as RunInstances makes it.
func (c *Cloud) AddInstance(inst Instance) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if inst.State == "" {
		inst.State = "running"
	}
	c.instances = append(c.instances, &inst)
	id := c.newID("eni")
	c.enis[id] = &ENI{ID: id, Subnet: inst.Subnet, Zone: inst.Zone,
		Attachment: &Attachment{ID: c.newID("eni-attach"), InstanceID: inst.ID, DeleteOnTermination: true}}
}

// AddENI adds an ENI as given (an Attachment without ID gets one) and
// returns its ID.
func (c *Cloud) AddENI(e ENI) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.ID == "" {
		e.ID = c.newID("eni")
	}
	if e.Zone == "" {
		e.Zone = c.subnets[e.Subnet]
	}
	if e.Attachment != nil && e.Attachment.ID == "" {
		e.Attachment.ID = c.newID("eni-attach")
	}
	c.enis[e.ID] = &e
	return e.ID
}

// Throttle answers the next n requests of action with RequestLimitExceeded.
func (c *Cloud) Throttle(action string, n int) {
	for range n {
		c.Fail(action, "RequestLimitExceeded", "Request limit exceeded.")
	}
}

// Fail answers the next request of action with an EC2 error.
func (c *Cloud) Fail(action, code, message string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.faults[action] = append(c.faults[action], apiError{code, message})
}

// TerminateAfter terminates instance once the nth request of action is
// answered, as a scale-down or a failed host would mid-run.
func (c *Cloud) TerminateAfter(action string, n int, instance string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.terminate = append(c.terminate, termination{action, n, instance})
}

// ENIs returns a copy of every ENI, sorted by ID.
func (c *Cloud) ENIs() []ENI {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []ENI
	for _, e := range c.enis {
		cp := *e
		if e.Attachment != nil {
			a := *e.Attachment
			cp.Attachment = &a
		}
		out = append(out, cp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Calls returns the requests answered so far.
func (c *Cloud) Calls() []Call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.calls)
}

// Operations returns the action of each operation the client started, in
// order (first attempts only; see Server.FirstAttempts).
func (c *Cloud) Operations() []string { return actions(firstAttempts(c.Calls())) }

// Actions returns the action of each request answered so far, in order.
func (c *Cloud) Actions() []string {
	var out []string
	for _, call := range c.Calls() {
		out = append(out, call.Action)
	}
	return out
}

func (c *Cloud) newID(prefix string) string {
	c.seq++
	return fmt.Sprintf("%s-%017x", prefix, 0xc10ad0000+c.seq)
}

func (c *Cloud) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	action := r.PostForm.Get("Action")
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, newCall(r))
	c.counts[action]++
	body, aerr := c.answer(action, r.PostForm)
	if aerr != nil {
		body = fmt.Appendf(nil, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
			`<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>req-%d</RequestID></Response>`,
			aerr.code, escape(aerr.message), len(c.calls))
	}
	for _, term := range c.terminate {
		if term.action == action && term.after == c.counts[action] {
			c.terminateInstance(term.instance)
		}
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	if aerr != nil {
		w.WriteHeader(statusOf(aerr.code))
	}
	_, _ = w.Write(body)
}

func (c *Cloud) answer(action string, form url.Values) ([]byte, *apiError) {
	if q := c.faults[action]; len(q) > 0 {
		c.faults[action] = q[1:]
		return nil, &q[0]
	}
	var resp any
	var aerr *apiError
	switch action {
	case "DescribeInstances":
		resp, aerr = c.describeInstances(form)
	case "DescribeInstanceTypes":
		resp, aerr = c.describeInstanceTypes(form)
	case "DescribeNetworkInterfaces":
		resp, aerr = c.describeNetworkInterfaces(form)
	case "CreateNetworkInterface":
		resp, aerr = c.createNetworkInterface(form)
	case "AttachNetworkInterface":
		resp, aerr = c.attachNetworkInterface(form)
	case "ModifyNetworkInterfaceAttribute":
		resp, aerr = c.modifyNetworkInterfaceAttribute(form)
	case "DeleteNetworkInterface":
		resp, aerr = c.deleteNetworkInterface(form)
	default:
		c.t.Errorf("ec2test: the cloud does not answer %s", action)
		return nil, &apiError{"InvalidAction", "The action " + action + " is not valid for this web service."}
	}
	if aerr != nil {
		return nil, aerr
	}
	out, err := xml.MarshalIndent(resp, "", "  ")
	if err != nil {
		c.t.Errorf("ec2test: encode %s: %v", action, err)
		return nil, &apiError{"InternalError", err.Error()}
	}
	return append([]byte(xml.Header), out...), nil
}

// terminateInstance does what EC2 does to an instance's ENIs on
// termination: those with DeleteOnTermination go with it, the others are
// detached and become available (EC2 User Guide, "Network interface
// attributes": delete on termination).
func (c *Cloud) terminateInstance(id string) {
	for _, inst := range c.instances {
		if inst.ID == id {
			inst.State = "terminated"
		}
	}
	for eid, e := range c.enis {
		if e.Attachment == nil || e.Attachment.InstanceID != id {
			continue
		}
		if e.Attachment.DeleteOnTermination {
			delete(c.enis, eid)
		} else {
			e.Attachment = nil
		}
	}
}

// filters parses Filter.N.Name and Filter.N.Value.M.
func filters(form url.Values) map[string][]string {
	out := map[string][]string{}
	for n := 1; form.Has(fmt.Sprintf("Filter.%d.Name", n)); n++ {
		name := form.Get(fmt.Sprintf("Filter.%d.Name", n))
		for m := 1; form.Has(fmt.Sprintf("Filter.%d.Value.%d", n, m)); m++ {
			out[name] = append(out[name], form.Get(fmt.Sprintf("Filter.%d.Value.%d", n, m)))
		}
	}
	return out
}

// matches applies filters by the fields a resource exposes under EC2's
// filter names; a filter the resource has no field for is refused as EC2
// refuses an unknown filter. Values match exactly (no wildcards).
func matches(f map[string][]string, fields, tags map[string]string) (bool, *apiError) {
	for name, values := range f {
		v, ok := fields[name]
		if key, isTag := strings.CutPrefix(name, "tag:"); isTag {
			v, ok = tags[key]
			if !ok {
				return false, nil
			}
		}
		if !ok {
			return false, &apiError{"InvalidParameterValue", "The filter '" + name + "' is invalid"}
		}
		if !slices.Contains(values, v) {
			return false, nil
		}
	}
	return true, nil
}

// page cuts n items at NextToken by MaxResults (or PageSize).
func (c *Cloud) page(form url.Values, n int) (from, to int, next string) {
	from, _ = strconv.Atoi(form.Get("NextToken"))
	size, _ := strconv.Atoi(form.Get("MaxResults"))
	if size == 0 {
		size = c.PageSize
	}
	to = n
	if size > 0 && from+size < n {
		to = from + size
		next = strconv.Itoa(to)
	}
	return min(from, n), to, next
}

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

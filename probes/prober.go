package probes

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ktraffic/ktraffic/model"
)

// Target is one node's health server, as a load balancer would probe it.
type Target struct {
	Node string
	// Address is the node's InternalIP (ExternalIP when it has none).
	Address string
	Port    int32
	Path    string
	Kind    Kind
	// Service is "namespace/name", to check a service health server answers
	// for the right Service.
	Service string
}

// healthPath is what cloud load balancers request (Azure, AWS and GKE all
// send /healthz to healthCheckNodePort); kube-proxy answers any path.
const healthPath = "/healthz"

// Targets lists every node's health server for svc: healthCheckNodePort
// under externalTrafficPolicy: Local, kube-proxy's /healthz otherwise.
func Targets(snap *model.Snapshot, svc *model.Service) []Target {
	kind, port := KindProxy, int32(KubeProxyHealthzPort)
	if svc.ExternalTrafficPolicy == model.PolicyLocal && svc.HealthCheckNodePort != 0 {
		kind, port = KindService, svc.HealthCheckNodePort
	}
	out := make([]Target, 0, len(snap.Nodes))
	for _, n := range snap.Nodes {
		out = append(out, Target{Node: n.Name, Address: nodeAddress(n), Port: port, Path: healthPath, Kind: kind, Service: svc.Key()})
	}
	return out
}

// nodeAddress picks the address a load balancer's probes reach: the
// InternalIP, which cloud LBs use for their backends.
func nodeAddress(n model.Node) string {
	for _, typ := range []string{"InternalIP", "ExternalIP"} {
		for _, a := range n.Addresses {
			if a.Type == typ && a.Address != "" {
				return a.Address
			}
		}
	}
	return ""
}

// Result is what one node's health server said.
type Result struct {
	Node      string `json:"node"`
	Address   string `json:"address,omitempty"`
	Transport string `json:"transport"`
	Kind      Kind   `json:"kind"`
	Port      int32  `json:"port"`
	Path      string `json:"path"`
	// Status is the HTTP status; 0 when nothing answered.
	Status int `json:"status"`
	// Healthy is what a load balancer concludes: 200 and nothing else.
	Healthy             bool   `json:"healthy"`
	LocalEndpoints      *int   `json:"localEndpoints,omitempty"`
	ServiceProxyHealthy *bool  `json:"serviceProxyHealthy,omitempty"`
	NodeEligible        *bool  `json:"nodeEligible,omitempty"`
	BodyError           string `json:"bodyError,omitempty"`
	// Redirect is where a 3xx answer pointed; it was not followed.
	Redirect      string `json:"redirect,omitempty"`
	Error         string `json:"error,omitempty"`
	ElapsedMillis int64  `json:"elapsedMs"`
	// Predicted values come from Compare.
	PredictedHealthy        *bool `json:"predictedHealthy,omitempty"`
	PredictedLocalEndpoints *int  `json:"predictedLocalEndpoints,omitempty"`
	// Agree is nil when there was no prediction for the node or the probe
	// could not be made for reasons of our own (no permission).
	Agree *bool `json:"agree,omitempty"`

	// ourSide marks probes that failed for reasons of this machine's (no
	// permission, API server unreachable): they say nothing about the node.
	ourSide error
	// badAddress marks a node whose address is not an IP: not probed.
	badAddress bool
}

// Prober probes health servers with bounded concurrency and a timeout per
// probe, like a load balancer's health checker.
type Prober struct {
	Transport Transport
	// Timeout bounds each probe; 0 means DefaultTimeout.
	Timeout time.Duration
	// Concurrency bounds probes in flight; 0 means DefaultConcurrency.
	Concurrency int
}

// Defaults for Prober. Cloud probes time out after 5-10s; a shorter
// timeout keeps a refresh of a large cluster quick.
const (
	DefaultTimeout     = 3 * time.Second
	DefaultConcurrency = 16
)

// Probe probes every target once and returns results in target order.
func (p Prober) Probe(ctx context.Context, targets []Target) []Result {
	out := make([]Result, len(targets))
	for i, t := range targets {
		out[i] = Result{Node: t.Node, Address: t.Address, Transport: p.Transport.Name(), Kind: t.Kind, Port: t.Port, Path: t.Path, Error: "not probed: cancelled"}
	}
	forEach(ctx, len(targets), p.concurrency(), func(i int) { out[i] = p.one(ctx, targets[i]) })
	return out
}

func (p Prober) one(ctx context.Context, t Target) Result {
	r := Result{Node: t.Node, Address: t.Address, Transport: p.Transport.Name(), Kind: t.Kind, Port: t.Port, Path: t.Path}
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	resp, err := p.Transport.Node(ctx, t.Node, t.Address, t.Port, t.Path)
	r.ElapsedMillis = time.Since(start).Milliseconds()
	if err != nil {
		if errors.Is(err, ErrForbidden) || errors.Is(err, ErrAPIServer) {
			r.ourSide = err
		}
		r.badAddress = errors.Is(err, ErrBadAddress)
		if ctx.Err() == context.DeadlineExceeded {
			r.Error = fmt.Sprintf("no answer within %s", timeout)
		} else {
			// Errors quote what servers and proxies answered: data, shown.
			r.Error = model.Printable(err.Error())
		}
		return r
	}
	r.Status = resp.Status
	r.Healthy = resp.Status == 200
	if resp.Location != "" {
		// Not followed: a health check that is redirected fails.
		r.Redirect = resp.Location
		return r
	}
	decodeBody(&r, t, resp.Body)
	r.BodyError = model.Printable(r.BodyError)
	return r
}

// OurSideError returns the error when every result failed for reasons of
// this machine's rather than the nodes': a command should then fail with
// it instead of reporting every node down.
func OurSideError(results []Result) error {
	var err error
	for _, r := range results {
		if r.ourSide == nil {
			return nil
		}
		err = r.ourSide
	}
	return err
}

func (p Prober) concurrency() int {
	if p.Concurrency > 0 {
		return p.Concurrency
	}
	return DefaultConcurrency
}

// forEach runs fn(0..n-1) with at most limit calls at once and returns when
// all have finished; after ctx ends it starts no more.
func forEach(ctx context.Context, n, limit int, fn func(int)) {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			fn(i)
		}(i)
	}
	wg.Wait()
}

package probes

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/ktraffic/ktraffic/model"
)

// maxBody bounds what a probe reads: health bodies are tiny, and /metrics
// of a busy pod rarely passes a few MiB.
const maxBody = 16 << 20

// Response is one HTTP answer from a node or pod.
type Response struct {
	Status int
	Body   []byte
	// ContentType is the answer's Content-Type, for /metrics format
	// negotiation.
	ContentType string
	// Location is where a 3xx answer points; it is never followed.
	Location string
}

// Transport reaches a port on a node or a pod. Two exist: straight to the
// address (the way the load balancer does it) and through the API
// server's proxy subresources (works from a laptop outside the node network).
type Transport interface {
	// Node GETs path on the node's port; address is the node's InternalIP.
	Node(ctx context.Context, node, address string, port int32, path string) (Response, error)
	// Pod GETs path on a pod's port; ip is the pod's IP.
	Pod(ctx context.Context, namespace, name, ip string, port int32, path string) (Response, error)
	// Name is "direct" or "apiserver", for output.
	Name() string
}

// ErrForbidden marks the API server refusing the proxy subresource.
var ErrForbidden = errors.New("forbidden")

// ErrAPIServer marks failing to talk to the API server at all, as opposed
// to the API server failing to reach a node.
var ErrAPIServer = errors.New("cannot reach the API server")

// ErrBadAddress marks an address that is not an IP address. Direct probes
// go only to parsed IPs: a node's address is data from the cluster or a
// dump, and "127.0.0.3/x?y=#" must never become a request path.
var ErrBadAddress = errors.New("not an IP address")

// Direct reaches nodes and pods at their own addresses. It never follows
// a redirect: a load balancer's health check does not, and a node port
// that redirects elsewhere must be reported as what it is, not judged by
// the server it points to. It uses no HTTP proxy either: direct means
// from this machine, as the load balancer would.
type Direct struct {
	// Client is used with redirects turned off; nil means a client
	// without a proxy.
	Client *http.Client
}

// Name implements Transport.
func (Direct) Name() string { return "direct" }

// Node implements Transport.
func (d Direct) Node(ctx context.Context, _, address string, port int32, path string) (Response, error) {
	if address == "" {
		return Response{}, errors.New("the node has no InternalIP to probe directly")
	}
	return d.get(ctx, address, port, path)
}

// Pod implements Transport.
func (d Direct) Pod(ctx context.Context, _, _, ip string, port int32, path string) (Response, error) {
	if ip == "" {
		return Response{}, errors.New("the pod has no IP")
	}
	return d.get(ctx, ip, port, path)
}

var directTransport = func() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	return t
}()

// directURL builds the URL from a parsed IP and a port in range, or says
// why it cannot.
func directURL(host string, port int32, path string) (string, error) {
	addr, err := netip.ParseAddr(host)
	if err != nil || addr.Zone() != "" {
		return "", fmt.Errorf("%w: %q, so it was not probed", ErrBadAddress, host)
	}
	if port < 1 || port > 65535 {
		return "", fmt.Errorf("port %d is not a valid port, so it was not probed", port)
	}
	u := url.URL{Scheme: "http", Host: netip.AddrPortFrom(addr.Unmap(), uint16(port)).String(), Path: path}
	return u.String(), nil
}

func (d Direct) get(ctx context.Context, host string, port int32, path string) (Response, error) {
	u, err := directURL(host, port, path)
	if err != nil {
		return Response{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Response{}, err
	}
	// Ask for the text format: expfmt parses it, and health servers ignore it.
	req.Header.Set("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1")
	c := &http.Client{Transport: directTransport}
	if d.Client != nil {
		cp := *d.Client
		c = &cp
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return Response{}, fmt.Errorf("reading the answer: %w", err)
	}
	out := Response{Status: resp.StatusCode, Body: body, ContentType: resp.Header.Get("Content-Type")}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		out.Location = model.Printable(resp.Header.Get("Location"))
		if out.Location == "" {
			out.Location = "(no Location)"
		}
	}
	return out, nil
}

// APIServer reaches nodes and pods through the API server's proxy
// subresources: nodes/proxy and pods/proxy (get).
type APIServer struct {
	client rest.Interface
}

// NewAPIServer builds the transport from a REST config. Probing many nodes
// at once would trip client-go's default client-side throttle (5 qps), so
// the copy it uses allows more.
func NewAPIServer(cfg *rest.Config) (*APIServer, error) {
	c := rest.CopyConfig(cfg)
	if c.QPS < 50 {
		c.QPS, c.Burst = 50, 100
	}
	cs, err := kubernetes.NewForConfig(c)
	if err != nil {
		return nil, err
	}
	return &APIServer{client: cs.CoreV1().RESTClient()}, nil
}

// Name implements Transport.
func (*APIServer) Name() string { return "apiserver" }

// Node implements Transport.
func (a *APIServer) Node(ctx context.Context, node, _ string, port int32, path string) (Response, error) {
	return a.get(ctx, "nodes/proxy", a.client.Get().Resource("nodes").Name(fmt.Sprintf("%s:%d", node, port)).SubResource("proxy").Suffix(path))
}

// Pod implements Transport.
func (a *APIServer) Pod(ctx context.Context, namespace, name, _ string, port int32, path string) (Response, error) {
	return a.get(ctx, "pods/proxy", a.client.Get().Namespace(namespace).Resource("pods").Name(fmt.Sprintf("%s:%d", name, port)).SubResource("proxy").Suffix(path))
}

func (a *APIServer) get(ctx context.Context, subresource string, req *rest.Request) (Response, error) {
	res := req.SetHeader("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1").Do(ctx)
	var status int
	res.StatusCode(&status)
	body, err := res.Raw()
	var ct string
	res.ContentType(&ct)
	if err == nil || (status != 0 && !isAPIStatus(body)) {
		// A non-2xx answer that is not a Kubernetes Status came from the
		// node or pod itself (kube-proxy's 503 is one): pass it on.
		return Response{Status: status, Body: body, ContentType: ct}, nil
	}
	if apierrors.IsForbidden(err) {
		return Response{}, fmt.Errorf("%w: the API server refused %s; probing through it needs get on %s (or use --direct from a machine that reaches the nodes)", ErrForbidden, subresource, subresource)
	}
	if status == 0 && !isAPIStatus(body) && apierrors.ReasonForError(err) == "" {
		return Response{}, fmt.Errorf("%w (check the kubeconfig context, or use --direct): %v", ErrAPIServer, err)
	}
	// Error() decodes the Status the API server sent, whose message says
	// why it could not reach the node or pod.
	if e := res.Error(); e != nil {
		err = e
	}
	return Response{}, fmt.Errorf("through the API server: %s", strings.TrimSpace(err.Error()))
}

// isAPIStatus reports whether body is a Kubernetes Status object, which
// only the API server writes: errors reaching the node come back so.
func isAPIStatus(body []byte) bool {
	var s struct {
		Kind       string `json:"kind"`
		APIVersion string `json:"apiVersion"`
	}
	return json.Unmarshal(body, &s) == nil && s.Kind == "Status" && s.APIVersion == "v1"
}

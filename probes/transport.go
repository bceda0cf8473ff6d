package probes

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
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

// Direct reaches nodes and pods at their own addresses.
type Direct struct {
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

func (d Direct) get(ctx context.Context, host string, port int32, path string) (Response, error) {
	u := "http://" + net.JoinHostPort(host, strconv.Itoa(int(port))) + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Response{}, err
	}
	// Ask for the text format: expfmt parses it, and health servers ignore it.
	req.Header.Set("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1")
	c := d.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return Response{}, fmt.Errorf("reading the answer: %w", err)
	}
	return Response{Status: resp.StatusCode, Body: body, ContentType: resp.Header.Get("Content-Type")}, nil
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

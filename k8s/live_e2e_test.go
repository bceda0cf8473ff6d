package k8s

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ktraffic/ktraffic/model"
)

// apiServer is just enough of a Kubernetes API server, over real HTTP, to
// run the whole path: kubeconfig, probe, informers (watch-list refused as
// an older server does, then list and watch), snapshot.
type apiServer struct {
	mu        sync.Mutex
	lists     map[string]any  // path → list object
	forbidden map[string]bool // path → 403
	requests  chan string     // "GET /path?query" of each request
	// bookmarkEvery makes watches send a bookmark that often, as the API
	// server's watch cache does about once a minute; 0 sends nothing.
	bookmarkEvery time.Duration
	// hung makes the server behave like a proxy that stopped forwarding:
	// open watches go silent, new watches are accepted and stay silent,
	// lists never answer.
	hung atomic.Bool
}

func (a *apiServer) list(path string) (any, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	l, ok := a.lists[path]
	return l, ok
}

func (a *apiServer) setList(path string, l any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lists[path] = l
}

func (a *apiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	select {
	case a.requests <- r.Method + " " + r.URL.RequestURI():
	default:
	}
	w.Header().Set("Content-Type", "application/json")
	status := func(code int, reason, msg string) {
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(metav1.Status{TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"}, Status: "Failure", Code: int32(code), Reason: metav1.StatusReason(reason), Message: msg})
	}
	list, ok := a.list(r.URL.Path)
	watching := r.URL.Query().Get("watch") == "true"
	switch {
	case r.Method != http.MethodGet:
		status(http.StatusMethodNotAllowed, "MethodNotAllowed", "read-only test server")
	case a.forbidden[r.URL.Path]:
		status(http.StatusForbidden, "Forbidden", "forbidden by the test")
	case !ok:
		status(http.StatusNotFound, "NotFound", "not served")
	case r.URL.Query().Get("sendInitialEvents") == "true":
		status(http.StatusUnprocessableEntity, "Invalid", "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled")
	case watching:
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		a.watch(w, r, list)
	case a.hung.Load():
		<-r.Context().Done()
	default:
		_ = json.NewEncoder(w).Encode(list)
	}
}

// watch serves an accepted watch: no events but bookmarks, and silence
// while hung.
func (a *apiServer) watch(w http.ResponseWriter, r *http.Request, list any) {
	if a.bookmarkEvery == 0 {
		<-r.Context().Done() // a quiet cluster: no events
		return
	}
	kind := strings.TrimSuffix(reflect.TypeOf(list).Elem().Name(), "List")
	version := "v1"
	if strings.HasPrefix(r.URL.Path, "/apis/") {
		version = strings.Join(strings.Split(r.URL.Path, "/")[2:4], "/")
	}
	bookmark := fmt.Sprintf(`{"type":"BOOKMARK","object":{"kind":%q,"apiVersion":%q,"metadata":{"resourceVersion":"10"}}}`+"\n", kind, version)
	t := time.NewTicker(a.bookmarkEvery)
	defer t.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-t.C:
		}
		if a.hung.Load() {
			<-r.Context().Done()
			return
		}
		if _, err := io.WriteString(w, bookmark); err != nil {
			return
		}
		w.(http.Flusher).Flush()
	}
}

func newAPIServer() *apiServer {
	return &apiServer{
		forbidden: map[string]bool{},
		requests:  make(chan string, 100),
		lists: map[string]any{
			"/api/v1/namespaces/shop/services": &corev1.ServiceList{
				TypeMeta: metav1.TypeMeta{Kind: "ServiceList", APIVersion: "v1"}, ListMeta: metav1.ListMeta{ResourceVersion: "10"},
				Items: []corev1.Service{*fixtureService("shop", "web")},
			},
			"/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices": &discoveryv1.EndpointSliceList{
				TypeMeta: metav1.TypeMeta{Kind: "EndpointSliceList", APIVersion: "discovery.k8s.io/v1"}, ListMeta: metav1.ListMeta{ResourceVersion: "10"},
				Items: []discoveryv1.EndpointSlice{*fixtureSlice("shop", "web-x1", "web", []string{"web-aaaaa"}, []string{"node-a"}, []string{"z1"})},
			},
			"/api/v1/namespaces/shop/pods": &corev1.PodList{
				TypeMeta: metav1.TypeMeta{Kind: "PodList", APIVersion: "v1"}, ListMeta: metav1.ListMeta{ResourceVersion: "10"},
				Items: []corev1.Pod{*fixturePod("shop", "web-aaaaa", "node-a", true)},
			},
			"/api/v1/nodes": &corev1.NodeList{
				TypeMeta: metav1.TypeMeta{Kind: "NodeList", APIVersion: "v1"}, ListMeta: metav1.ListMeta{ResourceVersion: "10"},
				Items: []corev1.Node{*fixtureNode("node-a", "z1"), *fixtureNode("node-b", "z2")},
			},
			"/apis/networking.k8s.io/v1/namespaces/shop/ingresses": &networkingv1.IngressList{
				TypeMeta: metav1.TypeMeta{Kind: "IngressList", APIVersion: "networking.k8s.io/v1"}, ListMeta: metav1.ListMeta{ResourceVersion: "10"},
				Items: []networkingv1.Ingress{*fixtureIngress("shop", "web", "web")},
			},
			"/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes": &unstructuredList{
				APIVersion: "gateway.networking.k8s.io/v1", Kind: "HTTPRouteList", Metadata: map[string]string{"resourceVersion": "10"},
				Items: []json.RawMessage{json.RawMessage(`{"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"namespace":"shop","name":"web","resourceVersion":"9"},` +
					`"spec":{"parentRefs":[{"name":"public"}],"rules":[{"backendRefs":[{"name":"web","port":80,"weight":90},{"name":"web-canary","port":80,"weight":10}]}]}}`)},
			},
			"/api/v1/namespaces/kube-system/configmaps/kube-proxy": &corev1.ConfigMap{
				TypeMeta: metav1.TypeMeta{Kind: "ConfigMap", APIVersion: "v1"}, ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: "kube-proxy"},
				Data: map[string]string{"config.conf": "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nipvs:\n  scheduler: sh\n"},
			},
		},
	}
}

// unstructuredList is a list as the API server serves a custom resource.
type unstructuredList struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   map[string]string `json:"metadata"`
	Items      []json.RawMessage `json:"items"`
}

// allowedRequest: the live source lists and watches its resources, gets
// kube-system's datapath objects by name, and asks kube-proxy's
// /proxyMode through the node proxy. Nothing else.
func allowedRequest(a *apiServer, req string) bool {
	path, _, _ := strings.Cut(strings.TrimPrefix(req, "GET "), "?")
	if !strings.HasPrefix(req, "GET ") {
		return false
	}
	if _, ok := a.lists[path]; ok {
		return true
	}
	for _, p := range []string{"/apis/networking.k8s.io/v1/", "/apis/gateway.networking.k8s.io/v1/"} {
		if strings.HasPrefix(path, p) && !strings.Contains(strings.TrimPrefix(path, p), "/proxy") {
			return true // entry layers this server does not serve
		}
	}
	if name, ok := strings.CutPrefix(path, "/api/v1/namespaces/kube-system/configmaps/"); ok && datapathConfigMaps[name] {
		return true
	}
	if name, ok := strings.CutPrefix(path, "/apis/apps/v1/namespaces/kube-system/daemonsets/"); ok && datapathDaemonSets[name] {
		return true
	}
	return strings.HasPrefix(path, "/api/v1/nodes/") && strings.HasSuffix(path, ":10249/proxy/proxyMode")
}

func TestLoadLiveOverHTTP(t *testing.T) {
	tests := []struct {
		name       string
		forbid     string
		nodes      []string
		nodesKnown bool
	}{
		{"full access", "", []string{"node-a@z1", "node-b@z2"}, true},
		{"no access to nodes", "/api/v1/nodes", []string{"node-a@z1"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newAPIServer()
			api.forbidden[tt.forbid] = true
			srv := httptest.NewTLSServer(api)
			t.Cleanup(srv.Close)
			isolate(t, writeFile(t, t.TempDir(), "config", kubeconfig(srv.URL, "    insecure-skip-tls-verify: true")))
			flags := NewConfigFlags()
			*flags.Namespace = "shop"

			start := time.Now()
			l, err := NewLive(flags, Scope{})
			if err != nil {
				t.Fatal(err)
			}
			s, err := l.loadOnce(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range l.res {
				if err := r.lastError(); err != nil {
					t.Errorf("%s recorded an error although nothing failed: %v", r.name, err)
				}
			}
			// A hang detector, not a speed target: a refused streaming list
			// that is retried instead of falling back waits for minutes.
			if elapsed := time.Since(start); elapsed > 30*time.Second {
				t.Errorf("LoadLive took %v: the fallback to a plain list waited", elapsed)
			}
			if got := svcKeys(s); !slices.Equal(got, []string{"shop/web"}) {
				t.Errorf("services = %v", got)
			}
			if got := podKeys(s); !slices.Equal(got, []string{"shop/web-aaaaa"}) {
				t.Errorf("pods = %v", got)
			}
			if got := sliceKeys(s); !slices.Equal(got, []string{"shop/web-x1"}) {
				t.Errorf("slices = %v", got)
			}
			if got := nodeNames(s); !slices.Equal(got, tt.nodes) || s.NodesKnown != tt.nodesKnown {
				t.Errorf("nodes = %v (known %v), want %v (known %v)", got, s.NodesKnown, tt.nodes, tt.nodesKnown)
			}
			if s.Source != "context:dev" || !s.StaleSince.IsZero() {
				t.Errorf("source %q, stale since %v", s.Source, s.StaleSince)
			}
			for len(api.requests) > 0 {
				if req := <-api.requests; !allowedRequest(api, req) {
					t.Errorf("request outside what the live source reads: %s", req)
				}
			}
			if len(s.Ingresses) != 1 || len(s.Routes) != 1 || s.Routes[0].Rules[0].Backends[1].Weight != 10 {
				t.Errorf("entry layers: ingresses %+v, routes %+v", s.Ingresses, s.Routes)
			}
			if s.Datapath.Mode != model.ModeIPVS || s.Datapath.IPVSScheduler != "sh" {
				t.Errorf("datapath %+v", s.Datapath)
			}
		})
	}
}

package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// loopbackCluster is just enough of a Kubernetes API server, over real
// HTTP on loopback, to run ktraffic end to end: it serves the kiada demo's
// objects to lists and watches (watch-list refused, as older servers do),
// allows access reviews, and reads and patches Services. A test reaches it
// through a kubeconfig in its temp dir, and can make the real PATCH hang.
type loopbackCluster struct {
	url string

	mu      sync.Mutex
	objects map[string][]map[string]any // list path → items
	// hangApply makes a real (not dry-run) PATCH get no answer until the
	// client gives up; applyFirst applies it before hanging.
	hangApply, applyFirst bool
	// applying is signalled when a real PATCH has arrived (and, with
	// applyFirst, been applied).
	applying chan struct{}
}

var listPaths = map[string]string{
	"Service":       "/api/v1/namespaces/default/services",
	"EndpointSlice": "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices",
	"Pod":           "/api/v1/namespaces/default/pods",
	"Node":          "/api/v1/nodes",
}

// newLoopbackCluster starts the server with the kiada scenario and points
// KUBECONFIG at it (context "test", namespace default).
func newLoopbackCluster(t *testing.T) *loopbackCluster {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "k8s", "scenarios", "kiada.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []map[string]any `json:"items"`
	}
	if err := yaml.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	c := &loopbackCluster{objects: map[string][]map[string]any{}, applying: make(chan struct{}, 10)}
	for _, o := range list.Items {
		kind, _ := o["kind"].(string)
		if p, ok := listPaths[kind]; ok {
			c.objects[p] = append(c.objects[p], o)
		}
	}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	c.url = srv.URL
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	cfg := fmt.Sprintf("apiVersion: v1\nkind: Config\nclusters:\n- name: loop\n  cluster:\n    server: %s\ncontexts:\n- name: test\n  context: {cluster: loop, user: u, namespace: default}\ncurrent-context: test\nusers:\n- name: u\n  user: {token: t}\n", srv.URL)
	if err := os.WriteFile(kubeconfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KUBECONFIG", kubeconfig)
	return c
}

// service returns the stored Service default/NAME.
func (c *loopbackCluster) service(name string) map[string]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, o := range c.objects[listPaths["Service"]] {
		if o["metadata"].(map[string]any)["name"] == name {
			return o
		}
	}
	return nil
}

func (c *loopbackCluster) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	q := r.URL.Query()
	svcPath, svcName, isService := strings.Cut(r.URL.Path, listPaths["Service"]+"/")
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/selfsubjectaccessreviews"):
		_, _ = io.WriteString(w, `{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","status":{"allowed":true}}`)
	case isService && svcPath == "" && (r.Method == http.MethodGet || r.Method == http.MethodPatch):
		c.serveService(w, r, svcName)
	case r.Method != http.MethodGet:
		http.Error(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","code":405}`, http.StatusMethodNotAllowed)
	case q.Get("sendInitialEvents") == "true":
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = io.WriteString(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Invalid","code":422,"message":"watch-list not served"}`)
	case q.Get("watch") == "true":
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	default:
		c.mu.Lock()
		items, ok := c.objects[r.URL.Path]
		// The typed kind (ServiceList): a typed client decodes "List" as empty.
		listKind, apiVersion := "List", "v1"
		for kind, p := range listPaths {
			if p == r.URL.Path {
				listKind = kind + "List"
			}
		}
		if listKind == "EndpointSliceList" {
			apiVersion = "discovery.k8s.io/v1"
		}
		body, _ := json.Marshal(map[string]any{"kind": listKind, "apiVersion": apiVersion, "metadata": map[string]any{"resourceVersion": "10"}, "items": items})
		c.mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}`)
			return
		}
		_, _ = w.Write(body)
	}
}

// serveService answers GET and PATCH (server-side apply, dry run or not)
// of one Service; a PATCH sets the spec fields it carries.
func (c *loopbackCluster) serveService(w http.ResponseWriter, r *http.Request, name string) {
	svc := c.service(name)
	if svc == nil {
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}`)
		return
	}
	out := svc
	if r.Method == http.MethodPatch {
		var patch map[string]any
		body, _ := io.ReadAll(r.Body)
		_ = yaml.Unmarshal(body, &patch)
		u := &unstructured.Unstructured{Object: svc}
		u = u.DeepCopy()
		if spec, ok := patch["spec"].(map[string]any); ok {
			for k, v := range spec {
				_ = unstructured.SetNestedField(u.Object, v, "spec", k)
			}
		}
		out = u.Object
		real := r.URL.Query().Get("dryRun") == ""
		c.mu.Lock()
		hang, apply := real && c.hangApply, real && (!c.hangApply || c.applyFirst)
		if apply {
			for i, o := range c.objects[listPaths["Service"]] {
				if o["metadata"].(map[string]any)["name"] == name {
					c.objects[listPaths["Service"]][i] = out
				}
			}
		}
		c.mu.Unlock()
		if real {
			c.applying <- struct{}{} // after the change, if any, is stored
		}
		if hang {
			<-r.Context().Done()
			return
		}
	}
	_ = json.NewEncoder(w).Encode(out)
}

package k8s

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestExplain(t *testing.T) {
	pods := request{verb: "list", resource: "pods", namespaced: true, namespace: "prod", host: "https://10.0.0.1:6443", timeout: 10 * time.Second}
	allPods := pods
	allPods.namespace = ""
	nodes := request{verb: "list", resource: "nodes", host: pods.host}
	slices := request{verb: "list", resource: "endpointslices", group: "discovery.k8s.io", namespaced: true, namespace: "prod", host: pods.host}
	urlErr := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://10.0.0.1:6443/api/v1/namespaces/prod/pods?limit=1", Err: err}
	}
	refused := urlErr(&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)})
	forbidden := apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "", fmt.Errorf(`User "dev" cannot list resource "pods"`))

	tests := []struct {
		name string
		err  error
		rq   request
		want string
	}{
		{"forbidden in a namespace", forbidden, pods, `cannot list pods in namespace "prod": forbidden (ask for get/list/watch on pods)`},
		{"forbidden cluster-wide", forbidden, allPods, `cannot list pods in all namespaces: forbidden (ask for get/list/watch on pods cluster-wide, or pass -n NAMESPACE)`},
		{"forbidden nodes", forbidden, nodes, `cannot list nodes: forbidden (ask for get/list/watch on nodes)`},
		{"unauthorized", apierrors.NewUnauthorized("Unauthorized"), pods, `the API server at https://10.0.0.1:6443 rejected the credentials (401 Unauthorized): log in again or refresh the kubeconfig's token`},
		{"refused", refused, pods, `cannot reach the API server at https://10.0.0.1:6443: connection refused (is the cluster running, and is this the right context?)`},
		{"timeout", urlErr(context.DeadlineExceeded), pods, `the API server at https://10.0.0.1:6443 did not answer within 10s (check the address and network, or raise --request-timeout)`},
		{"dns", urlErr(&net.DNSError{Err: "no such host", Name: "api.example", IsNotFound: true}), pods, `cannot reach the API server at https://10.0.0.1:6443: cannot resolve "api.example"`},
		{"unknown CA", urlErr(&tlsVerifyError{x509.UnknownAuthorityError{}}), pods, `TLS error talking to https://10.0.0.1:6443: its certificate is signed by an unknown authority (check the kubeconfig's certificate-authority, or pass --certificate-authority)`},
		{"no such API", apierrors.NewNotFound(schema.GroupResource{Group: "discovery.k8s.io", Resource: "endpointslices"}, ""), slices, `the API server at https://10.0.0.1:6443 does not serve endpointslices.discovery.k8s.io (ktraffic needs Kubernetes 1.21 or newer)`},
		{"core API missing", apierrors.NewNotFound(schema.GroupResource{Resource: "pods"}, ""), pods, `https://10.0.0.1:6443 answered 404 Not Found to list pods in namespace "prod": is it a Kubernetes API server? (check the server address)`},
		{"other status", apierrors.NewInternalError(fmt.Errorf("etcd\nleader changed")), pods, `cannot list pods in namespace "prod": Internal error occurred: etcd; leader changed`},
		{"already explained", newClusterError(nil, "kept as is"), pods, `kept as is`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := explain(tt.err, tt.rq).Error()
			if got != tt.want {
				t.Errorf("explain() =\n  %s\nwant\n  %s", got, tt.want)
			}
			if strings.Contains(got, "?limit=") {
				t.Errorf("message leaks the request URL: %s", got)
			}
		})
	}
}

// tlsVerifyError wraps a certificate error as crypto/tls does.
type tlsVerifyError struct{ err error }

func (e *tlsVerifyError) Error() string { return "tls: failed to verify certificate: " + e.err.Error() }
func (e *tlsVerifyError) Unwrap() error { return e.err }

func TestRedactHost(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://admin:s3cret@10.0.0.1:6443/base", "https://10.0.0.1:6443"},
		{"https://api.example.com", "https://api.example.com"},
		{"::not a url", "the configured server"},
	}
	for _, tt := range tests {
		if got := redactHost(tt.in); got != tt.want {
			t.Errorf("redactHost(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

package k8s

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/ktraffic/ktraffic/model"
)

// clusterError is an error told in one line an operator can act on. The
// cause stays reachable for errors.Is and errors.As, but its text (request
// URLs, server details) is never what gets printed.
type clusterError struct {
	msg string
	err error
}

func (e *clusterError) Error() string { return e.msg }
func (e *clusterError) Unwrap() error { return e.err }

func newClusterError(err error, format string, a ...any) error {
	return &clusterError{msg: singleLine(fmt.Sprintf(format, a...)), err: err}
}

// request says what was being asked when an error happened, so the message
// can name it.
type request struct {
	verb       string // "list" or "watch"
	resource   string // "pods"
	group      string // "" for the core group
	namespaced bool
	namespace  string // "" with namespaced: all namespaces
	host       string // the API server, already redacted
	timeout    time.Duration
}

// where names the request's target the way kubectl users think of it.
func (rq request) where() string {
	switch {
	case !rq.namespaced:
		return rq.resource
	case rq.namespace == "":
		return rq.resource + " in all namespaces"
	default:
		return fmt.Sprintf("%s in namespace %q", rq.resource, rq.namespace)
	}
}

// explain turns an API or transport error into one clear line.
func explain(err error, rq request) error {
	var ce *clusterError
	if errors.As(err, &ce) {
		return err
	}
	if m := explainTransport(err, rq); m != "" {
		return newClusterError(err, "%s", m)
	}
	switch {
	case apierrors.IsForbidden(err):
		hint := "ask for get/list/watch on " + rq.resource
		if rq.namespaced && rq.namespace == "" {
			hint += " cluster-wide, or pass -n NAMESPACE"
		}
		return newClusterError(err, "cannot %s %s: forbidden (%s)", rq.verb, rq.where(), hint)
	case apierrors.IsUnauthorized(err):
		return newClusterError(err, "the API server at %s rejected the credentials (401 Unauthorized): log in again or refresh the kubeconfig's token", rq.host)
	case apierrors.IsNotFound(err) && rq.group != "":
		return newClusterError(err, "the API server at %s does not serve %s.%s (ktraffic needs Kubernetes 1.21 or newer)", rq.host, rq.resource, rq.group)
	case apierrors.IsNotFound(err):
		// Every Kubernetes API server serves the core resources.
		return newClusterError(err, "%s answered 404 Not Found to %s %s: is it a Kubernetes API server? (check the server address)", rq.host, rq.verb, rq.where())
	case apierrors.IsTimeout(err) || apierrors.IsServerTimeout(err):
		return newClusterError(err, "the API server at %s timed out on %s %s; try again, or narrow the scope with -n", rq.host, rq.verb, rq.where())
	case apierrors.IsTooManyRequests(err):
		return newClusterError(err, "the API server at %s is throttling requests to %s %s; try again shortly", rq.host, rq.verb, rq.where())
	}
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		return newClusterError(err, "cannot %s %s: %s", rq.verb, rq.where(), status.Status().Message)
	}
	return newClusterError(err, "cannot %s %s at %s: %s", rq.verb, rq.where(), rq.host, innermost(err))
}

// explainTransport describes failures below HTTP: timeouts, refused
// connections, DNS, TLS. It returns "" for anything else.
func explainTransport(err error, rq request) string {
	var (
		dnsErr      *net.DNSError
		unknownCA   x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidCert x509.CertificateInvalidError
		recordErr   tls.RecordHeaderError
		netErr      net.Error
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		within := ""
		if rq.timeout > 0 {
			within = " within " + rq.timeout.String()
		}
		return fmt.Sprintf("the API server at %s did not answer%s (check the address and network, or raise --request-timeout)", rq.host, within)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("cannot reach the API server at %s: connection refused (is the cluster running, and is this the right context?)", rq.host)
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("cannot reach the API server at %s: cannot resolve %q", rq.host, dnsErr.Name)
	case errors.As(err, &unknownCA):
		return fmt.Sprintf("TLS error talking to %s: its certificate is signed by an unknown authority (check the kubeconfig's certificate-authority, or pass --certificate-authority)", rq.host)
	case errors.As(err, &hostErr):
		return fmt.Sprintf("TLS error talking to %s: %s (check the server address, or pass --tls-server-name)", rq.host, hostErr.Error())
	case errors.As(err, &invalidCert):
		return fmt.Sprintf("TLS error talking to %s: %s", rq.host, invalidCert.Error())
	case errors.As(err, &recordErr):
		return fmt.Sprintf("TLS error talking to %s: it does not speak TLS (wrong port, or should the address be http://?)", rq.host)
	case isTLS(err):
		return fmt.Sprintf("TLS error talking to %s: %s", rq.host, innermost(err))
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		return fmt.Sprintf("cannot reach the API server at %s: %s", rq.host, innermost(err))
	}
	return ""
}

// isTLS reports a failed TLS handshake or certificate check, whichever
// layer wrapped it.
func isTLS(err error) bool {
	var (
		unknownCA   x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidCert x509.CertificateInvalidError
		recordErr   tls.RecordHeaderError
	)
	if errors.As(err, &unknownCA) || errors.As(err, &hostErr) || errors.As(err, &invalidCert) || errors.As(err, &recordErr) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "tls: ") || strings.Contains(msg, "x509: ")
}

// innermost is the text of the deepest wrapped error: the cause without the
// request URL and operation prefixes the layers above add.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return singleLine(err.Error())
		}
		err = next
	}
}

// redactHost reduces a server URL to scheme://host[:port], dropping any
// user:password and path, so messages can show it safely.
func redactHost(server string) string {
	u, err := url.Parse(server)
	if err != nil || u.Host == "" {
		return "the configured server"
	}
	return u.Scheme + "://" + u.Host
}

// singleLine makes an error text one printable line: messages come from
// API servers, proxies and files, and none of them may drive the terminal.
func singleLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\r", "")
	s = strings.ReplaceAll(s, "\n", "; ")
	s = strings.ReplaceAll(s, "\t", " ")
	return model.Printable(s)
}

package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// apiWith serves the loopback cluster's API behind check, which refuses a
// request by returning an error; tlsCfg, when set, serves HTTPS with it.
// (clientcmd sends credentials only over TLS, as kubectl does.)
func apiWith(t *testing.T, c *loopbackCluster, check func(*http.Request) error, tlsCfg *tls.Config) *httptest.Server {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := check(r); err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Unauthorized","code":401,"message":%q}`, err.Error())
			return
		}
		c.ServeHTTP(w, r)
	})
	srv := httptest.NewUnstartedServer(h)
	if tlsCfg != nil {
		srv.TLS = tlsCfg
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv
}

func bearer(want string) func(*http.Request) error {
	return func(r *http.Request) error {
		if got := r.Header.Get("Authorization"); got != "Bearer "+want {
			return fmt.Errorf("want bearer %s, got %q", want, got)
		}
		return nil
	}
}

// tlsCluster is the kubeconfig cluster body for a TLS test server.
func tlsCluster(srv *httptest.Server) string {
	return "    server: " + srv.URL + "\n    certificate-authority-data: " + pemData("CERTIFICATE", srv.Certificate().Raw) + "\n"
}

// writeKubeconfig points KUBECONFIG at a file in the test's temp dir with
// one context over cluster and user (YAML bodies, indented by 4).
func writeKubeconfig(t *testing.T, cluster, user string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	cfg := "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n" + cluster +
		"contexts:\n- name: ctx\n  context: {cluster: c, user: u, namespace: default}\ncurrent-context: ctx\nusers:\n- name: u\n  user:\n" + user
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KUBECONFIG", path)
	return path
}

// jwt is an unsigned JWT with exp: the oidc provider reads only expiry.
func jwt(exp time.Time, sub string) string {
	enc := base64.RawURLEncoding.EncodeToString
	claims, _ := json.Marshal(map[string]any{"iss": "loopback", "sub": sub, "exp": exp.Unix()})
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(claims) + "." + enc([]byte("sig"))
}

func pemData(typ string, der []byte) string {
	return base64.StdEncoding.EncodeToString(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

// clientCert makes a CA and a client certificate it signs, as base64 PEM
// for a kubeconfig, and the pool a server verifies clients with.
func clientCert(t *testing.T) (certData, keyData string, pool *x509.CertPool) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "loopback-ca"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "alice"}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		KeyUsage: x509.KeyUsageDigitalSignature, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	pool = x509.NewCertPool()
	pool.AddCert(ca)
	return pemData("CERTIFICATE", der), pemData("EC PRIVATE KEY", keyDER), pool
}

// predictLive runs predict against the kubeconfig the test wrote.
func predictLive(t *testing.T) (int, string, string) {
	t.Helper()
	return runLive(t, "predict", "--service", "default/kiada", "-o", "json")
}

// TestAuthKinds: every credential kubectl takes works, each against a
// loopback API server that admits only that credential.
func TestAuthKinds(t *testing.T) {
	t.Run("token file", func(t *testing.T) {
		c := newLoopbackCluster(t)
		srv := apiWith(t, c, bearer("from-a-file"), &tls.Config{})
		tokenFile := filepath.Join(t.TempDir(), "token")
		if err := os.WriteFile(tokenFile, []byte("from-a-file\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		writeKubeconfig(t, tlsCluster(srv), "    tokenFile: "+tokenFile+"\n")
		if code, _, errOut := predictLive(t); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("exec plugin", func(t *testing.T) {
		c := newLoopbackCluster(t)
		srv := apiWith(t, c, bearer("from-exec"), &tls.Config{})
		plugin := filepath.Join(t.TempDir(), "credential-plugin")
		script := "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"from-exec\"}}'\n"
		if err := os.WriteFile(plugin, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		writeKubeconfig(t, tlsCluster(srv),
			"    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: "+plugin+"\n      interactiveMode: Never\n")
		if code, _, errOut := predictLive(t); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("client certificate", func(t *testing.T) {
		c := newLoopbackCluster(t)
		cert, key, pool := clientCert(t)
		srv := apiWith(t, c, func(r *http.Request) error {
			if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 || r.TLS.PeerCertificates[0].Subject.CommonName != "alice" {
				return fmt.Errorf("no client certificate for alice")
			}
			return nil
		}, &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool})
		writeKubeconfig(t, tlsCluster(srv), "    client-certificate-data: "+cert+"\n    client-key-data: "+key+"\n")
		if code, _, errOut := predictLive(t); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("proxy-url", func(t *testing.T) {
		c := newLoopbackCluster(t)
		var proxied atomic.Int32
		// A forward proxy that is also the API server: it answers the
		// absolute-form requests a client sends a proxy. The kubeconfig's
		// server listens nowhere, so only the proxy can answer.
		proxy := apiWith(t, c, func(r *http.Request) error {
			if r.URL.Host != "127.0.0.1:9" {
				return fmt.Errorf("not a proxied request: %s", r.URL)
			}
			proxied.Add(1)
			return nil
		}, nil)
		writeKubeconfig(t, "    server: http://127.0.0.1:9\n    proxy-url: "+proxy.URL+"\n", "    token: t\n")
		if code, _, errOut := predictLive(t); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if proxied.Load() == 0 {
			t.Error("no request went through proxy-url")
		}
	})
}

// TestAuthProviderOIDC: an "auth-provider: oidc" stanza works (it failed
// with "no Auth Provider found" before the plugin was linked): with its
// id-token expired, ktraffic refreshes it at the loopback issuer, uses
// the new one, and writes it back to the kubeconfig as kubectl does.
func TestAuthProviderOIDC(t *testing.T) {
	fresh := jwt(time.Now().Add(time.Hour), "alice")
	var refreshed atomic.Int32
	var issuer *httptest.Server
	issuer = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			fmt.Fprintf(w, `{"issuer":%q,"token_endpoint":%q}`, issuer.URL, issuer.URL+"/token")
		case "/token":
			_ = r.ParseForm()
			if r.Form.Get("grant_type") != "refresh_token" || r.Form.Get("refresh_token") != "refresh-1" {
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, `{"error":"invalid_grant"}`)
				return
			}
			refreshed.Add(1)
			fmt.Fprintf(w, `{"access_token":"a","token_type":"Bearer","expires_in":3600,"refresh_token":"refresh-2","id_token":%q}`, fresh)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(issuer.Close)

	c := newLoopbackCluster(t)
	srv := apiWith(t, c, bearer(fresh), &tls.Config{})
	expired := jwt(time.Now().Add(-time.Hour), "alice")
	kc := writeKubeconfig(t, tlsCluster(srv), "    auth-provider:\n      name: oidc\n      config:\n"+
		"        idp-issuer-url: "+issuer.URL+"\n        client-id: ktraffic-test\n        id-token: "+expired+"\n        refresh-token: refresh-1\n")
	code, out, errOut := predictLive(t)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"service": "default/kiada"`) {
		t.Errorf("no prediction: %s", out)
	}
	if refreshed.Load() != 1 {
		t.Errorf("refreshed %d times, want 1", refreshed.Load())
	}
	data, err := os.ReadFile(kc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), fresh) || !strings.Contains(string(data), "refresh-2") {
		t.Errorf("the refreshed tokens were not written back:\n%s", data)
	}
}

// TestAuthProviderRemoved: the azure and gcp stanzas client-go removed
// say in one line what replaces them.
func TestAuthProviderRemoved(t *testing.T) {
	for name, want := range map[string]string{
		"gcp":   `"auth-provider: gcp", which client-go removed: install gke-gcloud-auth-plugin`,
		"azure": `"auth-provider: azure", which client-go removed: install kubelogin`,
	} {
		t.Run(name, func(t *testing.T) {
			writeKubeconfig(t, "    server: https://127.0.0.1:9\n", "    auth-provider:\n      name: "+name+"\n      config: {}\n")
			code, _, errOut := predictLive(t)
			if code != 1 || !strings.Contains(errOut, want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want one line with %q", code, errOut, want)
			}
		})
	}
}

// TestServerWarningsOnce: warnings the API server sends on every answer
// are printed once each on stderr, not dropped.
func TestServerWarningsOnce(t *testing.T) {
	c := newLoopbackCluster(t)
	srv := apiWith(t, c, func(r *http.Request) error { return nil }, nil)
	warned := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Warning", `299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"`)
		w.Header().Add("Warning", `299 - "unknown field \"spec.foo\""`)
		srv.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(warned.Close)
	writeKubeconfig(t, "    server: "+warned.URL+"\n", "    token: t\n")
	code, _, errOut := predictLive(t)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{
		"ktraffic: warning from the API server: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n",
		"ktraffic: warning from the API server: unknown field \"spec.foo\"\n",
	} {
		if n := strings.Count(errOut, w); n != 1 {
			t.Errorf("warning printed %d times, want once: %q\nstderr: %s", n, w, errOut)
		}
	}
}

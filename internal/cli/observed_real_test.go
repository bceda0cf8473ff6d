package cli

import (
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ktraffic/ktraffic/internal/promtest"
	"github.com/ktraffic/ktraffic/model"
)

// realPrometheus is one Prometheus server for this package's tests,
// scraping kiada's pods at 55/22.5/22.5 per second; stopped by TestMain.
var realPrometheus struct {
	once sync.Once
	srv  *promtest.Server
	err  error
}

func startPrometheus(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a Prometheus server")
	}
	realPrometheus.once.Do(func() { realPrometheus.srv, realPrometheus.err = promtest.Start(promtest.Kiada()) })
	if errors.Is(realPrometheus.err, promtest.ErrNotInstalled) {
		t.Skip(realPrometheus.err)
	}
	if realPrometheus.err != nil {
		t.Fatal(realPrometheus.err)
	}
	return realPrometheus.srv.URL
}

// TestObservedFromRealPrometheus: predict and diff read observed traffic
// through --observed presets from a real Prometheus, and put it next to
// the prediction with the gap and its likely reason.
func TestObservedFromRealPrometheus(t *testing.T) {
	url := startPrometheus(t)
	t.Run("predict", func(t *testing.T) {
		for _, preset := range []string{"istio", "linkerd", "cilium", "http"} {
			code, out, errOut := runCLI(t, "", "predict", "--demo", "kiada", "--service", "default/kiada-cluster",
				"--prometheus", url, "--observed", preset, "-o", "json")
			if code != 0 {
				t.Fatalf("%s: exit %d: %s", preset, code, errOut)
			}
			var p model.Prediction
			if err := json.Unmarshal([]byte(out), &p); err != nil {
				t.Fatal(err)
			}
			if p.Observed == nil || p.Observed.Preset != preset || p.Observed.PodsWithData != 3 {
				t.Fatalf("%s: observed %+v", preset, p.Observed)
			}
			// Cluster predicts a third each; the pods see 55/22.5/22.5.
			if p.Observed.Level != model.GapDegraded || math.Abs(p.Observed.MaxGap-(.55-1.0/3)) > .01 {
				t.Errorf("%s: level %s, gap %.3f; want degraded, 0.217", preset, p.Observed.Level, p.Observed.MaxGap)
			}
		}
	})
	t.Run("predict table per node", func(t *testing.T) {
		code, out, errOut := runCLI(t, "", "predict", "--demo", "kiada", "--service", "default/kiada-cluster", "--prometheus", url, "--observed", "istio")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{"Observed:   prometheus (istio), 3 pods with data", "PODS ON NODE", "likely: Requests concentrate on default/kiada-001"} {
			if !strings.Contains(out, want) {
				t.Errorf("table lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("ingress-nginx counts the total only", func(t *testing.T) {
		code, out, errOut := runCLI(t, "", "predict", "--demo", "kiada", "--service", "default/kiada", "--prometheus", url, "--observed", "ingress-nginx")
		if code != 0 || !strings.Contains(out, "in total, not per pod") {
			t.Errorf("exit %d: %s\n%s", code, errOut, out)
		}
	})
	t.Run("diff", func(t *testing.T) {
		code, out, errOut := runCLI(t, "", "diff", "--demo", "kiada", "--service", "default/kiada-cluster", "--set", "externalTrafficPolicy=Local",
			"--prometheus", url, "--observed", "istio")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{"Observed:   prometheus (istio)", "PREDICTED NOW  OBSERVED NOW  GAP", "default/kiada-001  33.3%          55.0%         degraded  50.0%"} {
			if !strings.Contains(out, want) {
				t.Errorf("diff lacks %q:\n%s", want, out)
			}
		}
	})
}

// TestPrometheusConnection: --prometheus-token-file and
// --prometheus-config (Prometheus's own http_config: basic auth, TLS)
// reach a server that insists on them.
func TestPrometheusConnection(t *testing.T) {
	answer := `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"pod":"kiada-001","namespace":"default"},"value":[1700000000,"2"]}]}}`
	dir := t.TempDir()
	token := filepath.Join(dir, "token")
	if err := os.WriteFile(token, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		check func(*http.Request) bool
		tls   bool
		flags func(srv *httptest.Server) []string
	}{
		{"bearer token file", func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer s3cret" }, false,
			func(*httptest.Server) []string { return []string{"--prometheus-token-file", token} }},
		{"basic auth and TLS from http_config", func(r *http.Request) bool {
			u, p, ok := r.BasicAuth()
			return ok && u == "ops" && p == "pw" && r.TLS != nil
		}, true, func(srv *httptest.Server) []string {
			ca := filepath.Join(dir, "ca.pem")
			if err := os.WriteFile(ca, []byte(pemBlock(srv.Certificate().Raw)), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg := filepath.Join(dir, "prom.yaml")
			if err := os.WriteFile(cfg, []byte("basic_auth:\n  username: ops\n  password: pw\ntls_config:\n  ca_file: ca.pem\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			return []string{"--prometheus-config", cfg}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !tt.check(r) {
					w.WriteHeader(http.StatusUnauthorized)
					fmt.Fprint(w, `{"status":"error","errorType":"unauthorized","error":"who are you"}`)
					return
				}
				fmt.Fprint(w, answer)
			})
			srv := httptest.NewUnstartedServer(h)
			if tt.tls {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			t.Cleanup(srv.Close)
			args := append([]string{"predict", "--demo", "kiada", "--service", "default/kiada", "--prometheus", srv.URL, "-o", "json"}, tt.flags(srv)...)
			code, out, errOut := runCLI(t, "", args...)
			if code != 0 || !strings.Contains(out, `"observedRate": 2`) {
				t.Errorf("exit %d: %s\n%.400s", code, errOut, out)
			}
		})
	}
	code, _, errOut := runCLI(t, "", "predict", "--demo", "kiada", "--service", "default/kiada", "--prometheus", "http://127.0.0.1:9", "--prometheus-config", filepath.Join(dir, "nope.yaml"))
	if code != 2 || !strings.Contains(errOut, "--prometheus-config") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("missing config: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "predict", "--demo", "kiada", "--service", "default/kiada", "--observed", "istio")
	if code != 2 || !strings.Contains(errOut, "--observed istio reads Prometheus: give its URL with --prometheus") {
		t.Errorf("--observed without --prometheus: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "predict", "--demo", "kiada", "--service", "default/kiada", "--prometheus", "http://127.0.0.1:9", "--observed", "kuma")
	if code != 2 || !strings.Contains(errOut, `unknown --observed "kuma": valid: istio, linkerd`) {
		t.Errorf("unknown preset: exit %d, %q", code, errOut)
	}
}

func pemBlock(der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// TestTmuxObservedFromRealPrometheus: the TUI measures the flow in front
// from a real Prometheus and draws observed next to predicted.
func TestTmuxObservedFromRealPrometheus(t *testing.T) {
	url := startPrometheus(t)
	s := startTmux(t, nil, "--demo", "kiada", "--service", "default/kiada-cluster", "--prometheus", url, "--observed", "istio", "--observe-every", "2s")
	s.waitFor("Observed  istio metrics via Prometheus")
	s.waitFor("default/kiada-001      33.3%      55.0%   +21.7 pts  degraded")
	s.keys("q")
	s.waitFor("EXIT=0")
}

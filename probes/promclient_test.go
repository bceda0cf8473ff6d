package probes

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPrometheusHTTPConfig: files in Prometheus's http_config format are
// read strictly, and the credentials they name reach the server.
func TestPrometheusHTTPConfig(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "creds"), []byte("tok-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, yaml, header, err string
	}{
		{"authorization from a file, relative to the config", "authorization:\n  type: Bearer\n  credentials_file: creds\n", "Bearer tok-1", ""},
		{"bearer token", "bearer_token: abc\n", "Bearer abc", ""},
		{"basic auth", "basic_auth:\n  username: u\n  password_file: creds\n", "Basic dTp0b2stMQ==", ""},
		{"empty file", "", "", ""},
		{"oauth2 is named, not ignored", "oauth2:\n  client_id: x\n", "", "oauth2 is not supported here"},
		{"unknown key", "bearer_tokn: x\n", "", "field bearer_tokn not found"},
		{"two ways to authenticate", "bearer_token: a\nbasic_auth: {username: u}\n", "", "at most one of"},
		{"bad proxy", "proxy_url: '::'\n", "", "proxy_url"},
		{"not YAML", "a: [\n", "", "not valid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "http.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := LoadPrometheusHTTPConfig(path)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = r.Header.Get("Authorization")
				fmt.Fprint(w, "ok")
			}))
			defer srv.Close()
			c, err := cfg.Client()
			if err != nil {
				t.Fatal(err)
			}
			resp, err := c.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got != tt.header {
				t.Errorf("Authorization %q, want %q", got, tt.header)
			}
		})
	}
}

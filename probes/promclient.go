package probes

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// PrometheusHTTPConfig is how to reach a Prometheus server, read from
// the YAML of Prometheus's own http_config (the settings its scrape and
// remote-write clients take), so a file written for Prometheus or
// promtool works here: bearer_token(_file), basic_auth, authorization,
// tls_config, proxy_url, proxy_from_environment.
//
// It is not prometheus/common/config itself, on purpose: that package
// imports go-conntrack, whose golang.org/x/net/trace registers HTML
// debug pages at init, and html/template's execution makes the linker
// keep every exported method of the binary: 35 MB became 63 MB, past
// scripts/check-size.sh's 45 MB. oauth2 and the rarer keys are refused
// by name rather than ignored.
type PrometheusHTTPConfig struct {
	BearerToken          string         `yaml:"bearer_token"`
	BearerTokenFile      string         `yaml:"bearer_token_file"`
	BasicAuth            *promBasicAuth `yaml:"basic_auth"`
	Authorization        *promAuthz     `yaml:"authorization"`
	TLSConfig            promTLS        `yaml:"tls_config"`
	ProxyURL             string         `yaml:"proxy_url"`
	ProxyFromEnvironment *bool          `yaml:"proxy_from_environment"`
	FollowRedirects      *bool          `yaml:"follow_redirects"`
}

type promBasicAuth struct {
	Username     string `yaml:"username"`
	UsernameFile string `yaml:"username_file"`
	Password     string `yaml:"password"`
	PasswordFile string `yaml:"password_file"`
}

type promAuthz struct {
	Type            string `yaml:"type"`
	Credentials     string `yaml:"credentials"`
	CredentialsFile string `yaml:"credentials_file"`
}

type promTLS struct {
	CA                 string `yaml:"ca"`
	CAFile             string `yaml:"ca_file"`
	Cert               string `yaml:"cert"`
	CertFile           string `yaml:"cert_file"`
	Key                string `yaml:"key"`
	KeyFile            string `yaml:"key_file"`
	ServerName         string `yaml:"server_name"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
}

// unsupportedPromKeys are http_config keys Prometheus knows that ktraffic
// does not act on: named in the error, never silently ignored.
var unsupportedPromKeys = []string{"oauth2", "proxy_connect_header", "no_proxy", "enable_http2", "http_headers", "sigv4"}

// LoadPrometheusHTTPConfig reads an http_config file. Relative file paths
// in it are read from the file's folder, as Prometheus reads them.
func LoadPrometheusHTTPConfig(path string) (*PrometheusHTTPConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var keys map[string]any
	if err := yaml.Unmarshal(data, &keys); err != nil {
		return nil, fmt.Errorf("not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	for k := range keys {
		if slices.Contains(unsupportedPromKeys, k) {
			return nil, fmt.Errorf("%s is not supported here: use bearer_token_file, basic_auth or authorization, and tls_config", k)
		}
	}
	var c PrometheusHTTPConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) { // EOF: an empty file
		return nil, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	dir := filepath.Dir(path)
	for _, f := range []*string{&c.BearerTokenFile, &c.TLSConfig.CAFile, &c.TLSConfig.CertFile, &c.TLSConfig.KeyFile} {
		*f = resolvePath(dir, *f)
	}
	if b := c.BasicAuth; b != nil {
		b.UsernameFile, b.PasswordFile = resolvePath(dir, b.UsernameFile), resolvePath(dir, b.PasswordFile)
	}
	if a := c.Authorization; a != nil {
		a.CredentialsFile = resolvePath(dir, a.CredentialsFile)
	}
	return &c, c.validate()
}

func resolvePath(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// validate refuses what Prometheus refuses: two ways to authenticate.
func (c *PrometheusHTTPConfig) validate() error {
	ways := 0
	for _, set := range []bool{c.BearerToken != "", c.BearerTokenFile != "", c.BasicAuth != nil, c.Authorization != nil} {
		if set {
			ways++
		}
	}
	if ways > 1 {
		return errors.New("at most one of bearer_token, bearer_token_file, basic_auth and authorization may be set")
	}
	if a := c.Authorization; a != nil && a.Credentials != "" && a.CredentialsFile != "" {
		return errors.New("authorization: set credentials or credentials_file, not both")
	}
	if b := c.BasicAuth; b != nil && b.Password != "" && b.PasswordFile != "" {
		return errors.New("basic_auth: set password or password_file, not both")
	}
	if c.ProxyURL != "" {
		if u, err := url.Parse(c.ProxyURL); err != nil || u.Host == "" {
			return fmt.Errorf("proxy_url %q is not a URL", c.ProxyURL)
		}
		if c.ProxyFromEnvironment != nil && *c.ProxyFromEnvironment {
			return errors.New("set proxy_url or proxy_from_environment, not both")
		}
	}
	return nil
}

// Client builds the HTTP client: TLS and proxy on the transport, the
// credentials added to each request (files re-read every time, so a
// rotated token is picked up), redirects followed unless told not to.
func (c *PrometheusHTTPConfig) Client() (*http.Client, error) {
	if c == nil {
		c = &PrometheusHTTPConfig{}
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	switch {
	case c.ProxyURL != "":
		u, _ := url.Parse(c.ProxyURL)
		tr.Proxy = http.ProxyURL(u)
	case c.ProxyFromEnvironment != nil && !*c.ProxyFromEnvironment:
		tr.Proxy = nil
	}
	tlsCfg, err := c.TLSConfig.build()
	if err != nil {
		return nil, err
	}
	tr.TLSClientConfig = tlsCfg
	client := &http.Client{Transport: &promAuthTransport{cfg: c, next: tr}}
	if c.FollowRedirects != nil && !*c.FollowRedirects {
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return client, nil
}

func (t promTLS) build() (*tls.Config, error) {
	cfg := &tls.Config{ServerName: t.ServerName, InsecureSkipVerify: t.InsecureSkipVerify} //nolint:gosec // the user's explicit choice
	ca, err := inlineOrFile("tls_config: ca", t.CA, t.CAFile)
	if err != nil {
		return nil, err
	}
	if len(ca) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(ca) {
			return nil, errors.New("tls_config: the CA holds no PEM certificate")
		}
		cfg.RootCAs = pool
	}
	cert, err := inlineOrFile("tls_config: cert", t.Cert, t.CertFile)
	if err != nil {
		return nil, err
	}
	key, err := inlineOrFile("tls_config: key", t.Key, t.KeyFile)
	if err != nil {
		return nil, err
	}
	if len(cert) > 0 || len(key) > 0 {
		pair, err := tls.X509KeyPair(cert, key)
		if err != nil {
			return nil, fmt.Errorf("tls_config: client certificate: %v", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

func inlineOrFile(what, inline, file string) ([]byte, error) {
	if inline != "" && file != "" {
		return nil, fmt.Errorf("%s: set it inline or as a file, not both", what)
	}
	if file == "" {
		return []byte(inline), nil
	}
	return os.ReadFile(file)
}

// promAuthTransport adds the configured credentials to each request.
type promAuthTransport struct {
	cfg  *PrometheusHTTPConfig
	next http.RoundTripper
}

func readSecret(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading the credentials for Prometheus: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

func (t *promAuthTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := t.cfg
	set := func(typ, secret, file string) error {
		if file != "" {
			s, err := readSecret(file)
			if err != nil {
				return err
			}
			secret = s
		}
		if typ == "" {
			typ = "Bearer"
		}
		req.Header.Set("Authorization", typ+" "+secret)
		return nil
	}
	req = req.Clone(req.Context())
	var err error
	switch {
	case c.BearerToken != "" || c.BearerTokenFile != "":
		err = set("Bearer", c.BearerToken, c.BearerTokenFile)
	case c.Authorization != nil:
		err = set(c.Authorization.Type, c.Authorization.Credentials, c.Authorization.CredentialsFile)
	case c.BasicAuth != nil:
		b := c.BasicAuth
		user, pass := b.Username, b.Password
		if b.UsernameFile != "" {
			user, err = readSecret(b.UsernameFile)
		}
		if err == nil && b.PasswordFile != "" {
			pass, err = readSecret(b.PasswordFile)
		}
		req.SetBasicAuth(user, pass)
	}
	if err != nil {
		return nil, err
	}
	return t.next.RoundTrip(req)
}

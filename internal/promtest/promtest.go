// Package promtest runs a real Prometheus server on loopback for tests
// and the screenshots: Debian's prometheus binary, with a temporary
// config that scrapes an exporter served here (client_golang), whose
// counters grow at the rates asked for. Nothing leaves 127.0.0.1, and
// Stop ends the server and removes its files.
package promtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Series is one counter the exporter serves, growing PerSecond.
type Series struct {
	Metric    string
	Labels    map[string]string
	PerSecond float64
}

// Server is a running Prometheus and the exporter it scrapes.
type Server struct {
	// URL is Prometheus's base URL.
	URL string

	dir      string
	cmd      *exec.Cmd
	exporter *httptest.Server
	log      *bytes.Buffer
	done     chan error
	stopOnce sync.Once
}

// ErrNotInstalled says the prometheus binary is missing.
var ErrNotInstalled = errors.New("prometheus is not installed (Debian: apt-get install -y prometheus; .ci/run installs it)")

// counters is a collector whose counters grow at fixed rates from start.
type counters struct {
	start  time.Time
	series []Series
	descs  []*prometheus.Desc
	names  [][]string
}

func newCounters(series []Series) *counters {
	c := &counters{start: time.Now(), series: series}
	for _, s := range series {
		var names []string
		for k := range s.Labels {
			names = append(names, k)
		}
		slices.Sort(names)
		c.names = append(c.names, names)
		c.descs = append(c.descs, prometheus.NewDesc(s.Metric, "test counter", names, nil))
	}
	return c
}

func (c *counters) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

func (c *counters) Collect(ch chan<- prometheus.Metric) {
	elapsed := time.Since(c.start).Seconds()
	for i, s := range c.series {
		values := make([]string, len(c.names[i]))
		for j, n := range c.names[i] {
			values[j] = s.Labels[n]
		}
		ch <- prometheus.MustNewConstMetric(c.descs[i], prometheus.CounterValue, 1000+s.PerSecond*elapsed, values...)
	}
}

// Start runs Prometheus scraping series every second, and waits until
// it can compute a rate for each metric (a few seconds).
func Start(series []Series) (*Server, error) {
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		return nil, ErrNotInstalled
	}
	reg := prometheus.NewRegistry()
	if err := reg.Register(newCounters(series)); err != nil {
		return nil, err
	}
	s := &Server{log: &bytes.Buffer{}, done: make(chan error, 1)}
	s.exporter = httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	ok := false
	defer func() {
		if !ok {
			s.Stop()
		}
	}()
	if s.dir, err = os.MkdirTemp("", "ktraffic-prometheus-"); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	target := strings.TrimPrefix(s.exporter.URL, "http://")
	cfg := fmt.Sprintf("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n- job_name: exporter\n  honor_labels: true\n  static_configs:\n  - targets: ['%s']\n", target)
	cfgPath := filepath.Join(s.dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	s.URL = "http://" + addr
	s.cmd = exec.Command(bin, "--config.file="+cfgPath, "--storage.tsdb.path="+filepath.Join(s.dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting prometheus: %w", err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	var metrics []string
	for _, sr := range series {
		if !slices.Contains(metrics, sr.Metric) {
			metrics = append(metrics, sr.Metric)
		}
	}
	if err := s.waitForRates(metrics, 60*time.Second); err != nil {
		return nil, fmt.Errorf("%w; prometheus said: %s", err, strings.TrimSpace(s.log.String()))
	}
	ok = true
	return s, nil
}

// waitForRates polls until every metric has a rate, or the bound passes.
func (s *Server) waitForRates(metrics []string, bound time.Duration) error {
	deadline := time.Now().Add(bound)
	client := &http.Client{Timeout: 2 * time.Second}
	pending := slices.Clone(metrics)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			return fmt.Errorf("prometheus exited: %v", err)
		default:
		}
		for i := 0; i < len(pending); i++ {
			q := url.Values{"query": {"count(rate(" + pending[i] + "[1m]) > 0)"}}
			resp, err := client.Get(s.URL + "/api/v1/query?" + q.Encode())
			if err != nil {
				continue
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), `"result":[{`) {
				pending = slices.Delete(pending, i, i+1)
				i--
			}
		}
		if len(pending) == 0 {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("prometheus had no rate for %s within %v", strings.Join(pending, ", "), bound)
}

// Stop ends Prometheus (its whole process group) and the exporter, and
// removes the server's files.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		if s.cmd != nil && s.cmd.Process != nil {
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-s.done:
			case <-time.After(10 * time.Second):
				_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
				<-s.done
			}
		}
		if s.exporter != nil {
			s.exporter.Close()
		}
		if s.dir != "" {
			_ = os.RemoveAll(s.dir)
		}
	})
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Kiada is the kiada demo's three pods under every preset's metric:
// kiada-001 takes 55% of the requests, the other two 22.5% each (as
// long-lived connections would make it, where kube-proxy's Cluster
// policy predicts a third each).
func Kiada() []Series {
	pods := []struct {
		name string
		rate float64
	}{{"kiada-001", 55}, {"kiada-002", 22.5}, {"kiada-003", 22.5}}
	var out []Series
	for _, p := range pods {
		out = append(out,
			Series{"istio_requests_total", map[string]string{"reporter": "destination", "destination_service_namespace": "default", "destination_service_name": "kiada-cluster", "namespace": "default", "pod": p.name}, p.rate},
			Series{"istio_requests_total", map[string]string{"reporter": "destination", "destination_service_namespace": "default", "destination_service_name": "kiada", "namespace": "default", "pod": p.name}, p.rate},
			Series{"request_total", map[string]string{"direction": "inbound", "namespace": "default", "pod": p.name}, p.rate},
			Series{"hubble_http_requests_total", map[string]string{"destination": "default/" + p.name, "method": "GET"}, p.rate},
			Series{"hubble_flows_processed_total", map[string]string{"destination": "default/" + p.name, "verdict": "FORWARDED", "type": "Trace"}, p.rate},
			Series{"http_requests_total", map[string]string{"namespace": "default", "pod": p.name}, p.rate},
		)
	}
	for _, svc := range []string{"kiada", "kiada-cluster"} {
		out = append(out, Series{"nginx_ingress_controller_requests", map[string]string{"namespace": "default", "service": svc, "ingress": svc, "status": "200"}, 100})
	}
	return out
}

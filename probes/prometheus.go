package probes

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	prom "github.com/prometheus/common/model"

	"github.com/ktraffic/ktraffic/model"
)

// DefaultPromQL asks for requests per second per pod over two minutes.
// Template fields: .Namespace, .Name (the Service), .Service ("ns/name")
// and .Pods (a regex matching the endpoint pods' names).
const DefaultPromQL = `sum by (pod) (rate(http_requests_total{namespace="{{.Namespace}}"}[2m]))`

// QueryVars are the fields a PromQL template can use.
type QueryVars struct {
	Namespace, Name, Service, Pods string
}

// Prometheus reads per-pod rates from a Prometheus HTTP API.
type Prometheus struct {
	// URL is the server's base URL; a path prefix (…/prometheus) is kept.
	URL string
	// Query is PromQL with {{.Field}} placeholders (see expandQuery);
	// empty means DefaultPromQL.
	Query string
	// Preset, when set, names the preset the query came from; its pod
	// label and whether it counts per pod come with it.
	Preset *Preset
	// Client carries the connection settings (PrometheusHTTPConfig:
	// bearer token, basic auth, TLS, proxy); nil is a plain client.
	Client  *http.Client
	Timeout time.Duration
}

// ErrNoSeries marks a query that matched nothing.
var ErrNoSeries = errors.New("the query returned no series")

// promResponse is the envelope of /api/v1/query answers, errors included.
type promResponse struct {
	Status string `json:"status"`
	Data   struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	} `json:"data"`
	ErrorType string   `json:"errorType"`
	Error     string   `json:"error"`
	Warnings  []string `json:"warnings"`
}

// Rates runs the query for pred's Service and returns rates per pod key
// ("namespace/name"), with a summary for model.AttachObserved.
func (p Prometheus) Rates(ctx context.Context, pred *model.Prediction) (map[string]float64, model.ObservedSummary, error) {
	if p.Preset != nil && p.Query == "" {
		p.Query = p.Preset.Query
	}
	query, err := p.render(pred)
	sum := model.ObservedSummary{Source: "prometheus", Query: query, WindowSeconds: rangeSeconds(query)}
	podLabel := "pod"
	if p.Preset != nil {
		sum.Preset = p.Preset.Name
		if p.Preset.PodLabel != "" {
			podLabel = p.Preset.PodLabel
		}
	}
	if err != nil {
		return nil, sum, err
	}
	body, status, err := p.get(ctx, query)
	if err != nil {
		return nil, sum, err
	}
	var r promResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, sum, fmt.Errorf("prometheus answered %d with something other than its API's JSON (is --prometheus the server's base URL?)", status)
	}
	if r.Status != "success" {
		return nil, sum, fmt.Errorf("prometheus: %s: %s", r.ErrorType, r.Error)
	}
	sum.Warnings = append(sum.Warnings, r.Warnings...)
	if r.Data.ResultType != prom.ValVector.String() {
		return nil, sum, fmt.Errorf("prometheus returned a %s; the query must return an instant vector with one series per pod", r.Data.ResultType)
	}
	var vec prom.Vector
	if err := json.Unmarshal(r.Data.Result, &vec); err != nil {
		return nil, sum, fmt.Errorf("decoding prometheus result: %w", err)
	}
	ns, _, _ := strings.Cut(pred.Service, "/")
	if p.Preset != nil && p.Preset.TotalOnly {
		for _, s := range vec {
			sum.TotalRate += float64(s.Value)
		}
		if len(vec) == 0 {
			return nil, sum, fmt.Errorf("%w for %s: check that %s is scraped", ErrNoSeries, pred.Service, p.Preset.What)
		}
		return nil, sum, nil
	}
	rates := map[string]float64{}
	for _, s := range vec {
		pod := firstLabel(s.Metric, podLabel, "pod_name", "kubernetes_pod_name")
		if pod == "" {
			return nil, sum, fmt.Errorf("the query's series carry no %s label: aggregate with sum by (%s)", podLabel, podLabel)
		}
		podNS := firstLabel(s.Metric, "namespace", "kubernetes_namespace")
		if n, name, ok := strings.Cut(pod, "/"); ok { // "namespace/pod", as Hubble labels
			podNS, pod = n, name
		}
		if podNS == "" {
			podNS = ns
		}
		rates[podNS+"/"+pod] += float64(s.Value)
	}
	if len(rates) == 0 {
		return nil, sum, fmt.Errorf("%w for %s: check the metric name and labels, or pass --promql", ErrNoSeries, pred.Service)
	}
	return rates, sum, nil
}

func (p Prometheus) render(pred *model.Prediction) (string, error) {
	text := p.Query
	if text == "" {
		text = DefaultPromQL
	}
	ns, name, _ := strings.Cut(pred.Service, "/")
	var pods []string
	for _, e := range pred.Endpoints {
		if _, n, ok := strings.Cut(e.Pod, "/"); ok {
			pods = append(pods, regexp.QuoteMeta(n))
		}
	}
	out, err := expandQuery(text, QueryVars{Namespace: ns, Name: name, Service: pred.Service, Pods: strings.Join(pods, "|")})
	if err != nil {
		return text, fmt.Errorf("--promql: %w", err)
	}
	return out, nil
}

// expandQuery replaces {{.Namespace}}, {{.Name}}, {{.Service}} and
// {{.Pods}} (spaces inside the braces allowed) and refuses anything else
// in double braces. It is not text/template on purpose: a query needs
// four plain substitutions, and text/template's reflection makes the
// linker keep every exported method in the binary.
func expandQuery(text string, v QueryVars) (string, error) {
	fields := map[string]string{".Namespace": v.Namespace, ".Name": v.Name, ".Service": v.Service, ".Pods": v.Pods}
	var b strings.Builder
	for {
		open := strings.Index(text, "{{")
		if open < 0 {
			if strings.Contains(text, "}}") {
				return "", fmt.Errorf(`"}}" without "{{"`)
			}
			b.WriteString(text)
			return b.String(), nil
		}
		if strings.Contains(text[:open], "}}") {
			return "", fmt.Errorf(`"}}" without "{{"`)
		}
		end := strings.Index(text[open:], "}}")
		if end < 0 {
			return "", fmt.Errorf(`unclosed "{{"`)
		}
		field := strings.TrimSpace(text[open+2 : open+end])
		val, ok := fields[field]
		if !ok {
			return "", fmt.Errorf("unknown field {{%s}}: use {{.Namespace}}, {{.Name}}, {{.Service}} or {{.Pods}}", field)
		}
		b.WriteString(text[:open])
		b.WriteString(val)
		text = text[open+end+2:]
	}
}

func (p Prometheus) get(ctx context.Context, query string) ([]byte, int, error) {
	u, err := url.Parse(p.URL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, 0, fmt.Errorf("--prometheus %q is not an http(s) URL", p.URL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/api/v1/query"
	u.RawQuery = url.Values{"query": {query}}.Encode()
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, err
	}
	c := p.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		// The URL would quote the whole query; the server and the cause
		// are what the user can act on.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, 0, fmt.Errorf("querying prometheus at %s: %w", model.Printable(p.URL), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, resp.StatusCode, fmt.Errorf("reading prometheus answer: %w", err)
	}
	return body, resp.StatusCode, nil
}

func firstLabel(m prom.Metric, names ...string) string {
	for _, n := range names {
		if v := m[prom.LabelName(n)]; v != "" {
			return string(v)
		}
	}
	return ""
}

var rangeRE = regexp.MustCompile(`\[([0-9]+[a-z]+)(:[^\]]*)?\]`)

// rangeSeconds reads the first range selector of a query, for display.
func rangeSeconds(query string) float64 {
	m := rangeRE.FindStringSubmatch(query)
	if m == nil {
		return 0
	}
	d, err := prom.ParseDuration(m[1])
	if err != nil {
		return 0
	}
	return time.Duration(d).Seconds()
}

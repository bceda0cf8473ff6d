package probes

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"google.golang.org/protobuf/encoding/protowire"
)

// CounterSeries parses a /metrics answer and returns every series of the
// counter family name, keyed by its sorted label pairs. OpenMetrics drops
// a counter's "_total" from the family name, so name matches with or
// without it. Untyped families count too: many exporters never declare a
// TYPE. Non-finite values are skipped, as Prometheus's rate() would choke
// on them.
func CounterSeries(body []byte, contentType, name string) (map[string]float64, error) {
	h := http.Header{}
	h.Set("Content-Type", contentType)
	format := expfmt.ResponseFormat(h)
	if format.FormatType() == expfmt.TypeProtoDelim {
		if err := checkDelimited(body); err != nil {
			return nil, fmt.Errorf("parsing metrics: %w", err)
		}
	}
	dec := expfmt.NewDecoder(bytes.NewReader(body), format)
	base := strings.TrimSuffix(name, "_total")
	out := map[string]float64{}
	found := false
	for {
		var mf dto.MetricFamily
		err := dec.Decode(&mf)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parsing metrics: %w", err)
		}
		if n := mf.GetName(); n != base && n != base+"_total" {
			continue
		}
		found = true
		for _, m := range mf.GetMetric() {
			var v float64
			switch {
			case m.GetCounter() != nil:
				v = m.GetCounter().GetValue()
			case m.GetUntyped() != nil:
				v = m.GetUntyped().GetValue()
			default:
				continue
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			out[seriesKey(m.GetLabel())] += v
		}
	}
	if !found {
		return nil, fmt.Errorf("%w: no %s", ErrNoMetric, name)
	}
	return out, nil
}

// ErrNoMetric marks a /metrics answer without the wanted family.
var ErrNoMetric = errors.New("metric not exposed")

func seriesKey(labels []*dto.LabelPair) string {
	pairs := make([]string, 0, len(labels))
	for _, l := range labels {
		pairs = append(pairs, l.GetName()+"="+l.GetValue())
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ",")
}

// Increase is how much a set of counters grew between two scrapes. A
// series that went down was reset (the process restarted) and counts from
// zero, as Prometheus's rate() treats it; a series new in the second
// scrape also started from zero since the first.
func Increase(before, after map[string]float64) float64 {
	var total float64
	for k, v := range after {
		prev, ok := before[k]
		switch {
		case !ok || v < prev:
			total += v
		default:
			total += v - prev
		}
	}
	return total
}

// checkDelimited refuses a length-delimited protobuf stream in which a
// message claims more bytes than the body holds. expfmt's decoder reads
// with no size limit and allocates what the length prefix says, so a pod
// answering /metrics with a few crafted bytes could make ktraffic
// allocate gigabytes and die. The body is already bounded in memory; no
// honest message is larger than what is left of it.
func checkDelimited(body []byte) error {
	for rest := body; len(rest) > 0; {
		size, n := protowire.ConsumeVarint(rest)
		if n < 0 {
			return errors.New("malformed protobuf length prefix")
		}
		rest = rest[n:]
		if size > uint64(len(rest)) {
			return fmt.Errorf("a protobuf message claims %d bytes where %d remain", size, len(rest))
		}
		rest = rest[size:]
	}
	return nil
}

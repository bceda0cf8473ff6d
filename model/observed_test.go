package model

import (
	"math"
	"strings"
	"testing"
)

// obsPrediction is the seeds' Local example: node-a has one pod (50%),
// node-b two (25% each).
func obsPrediction(affinity Affinity) *Prediction {
	return &Prediction{Service: "default/kiada", Settings: Settings{SessionAffinity: affinity, SessionAffinityTimeoutSeconds: 10800},
		Endpoints: []EndpointShare{
			{Pod: "default/kiada-001", Share: 0.5},
			{Pod: "default/kiada-002", Share: 0.25},
			{Pod: "default/kiada-003", Share: 0.25},
		}}
}

func TestAttachObserved(t *testing.T) {
	tests := []struct {
		name       string
		affinity   Affinity
		rates      map[string]float64
		level      GapLevel
		maxGap     float64
		levels     []GapLevel
		explain    []string // substrings, in order of the explanations
		warnings   int
		withShares int
	}{
		{
			name:  "matches the prediction",
			rates: map[string]float64{"default/kiada-001": 50, "default/kiada-002": 26, "default/kiada-003": 24},
			level: GapHealthy, maxGap: 0.01, levels: []GapLevel{GapHealthy, GapHealthy, GapHealthy}, withShares: 3,
		},
		{
			name:  "connection reuse pins requests to one pod",
			rates: map[string]float64{"default/kiada-001": 5, "default/kiada-002": 94, "default/kiada-003": 1},
			level: GapFailure, maxGap: 0.69, levels: []GapLevel{GapFailure, GapFailure, GapDegraded},
			explain: []string{"kube-proxy balances connections, not requests"}, withShares: 3,
		},
		{
			name:     "few requests and affinity",
			affinity: "ClientIP",
			rates:    map[string]float64{"default/kiada-001": 0.1, "default/kiada-002": 0.1, "default/kiada-003": 0.1},
			level:    GapDegraded, maxGap: 0.1667, levels: []GapLevel{GapDegraded, GapHealthy, GapHealthy},
			explain: []string{"Only 0.3 requests/s", "ClientIP keeps each client on one pod for 10800s"}, withShares: 3,
		},
		{
			name:  "missing pod is unknown, others compared among themselves",
			rates: map[string]float64{"default/kiada-001": 66, "default/kiada-002": 34, "default/other": 3},
			level: GapHealthy, maxGap: 0.0067, levels: []GapLevel{GapHealthy, GapHealthy, GapUnknown}, warnings: 2, withShares: 2,
		},
		{
			name:  "no traffic at all",
			rates: map[string]float64{"default/kiada-001": 0, "default/kiada-002": 0, "default/kiada-003": 0},
			level: GapUnknown, levels: []GapLevel{GapUnknown, GapUnknown, GapUnknown},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := obsPrediction(tt.affinity)
			AttachObserved(p, tt.rates, ObservedSummary{Source: "prometheus"})
			o := p.Observed
			if o == nil {
				t.Fatal("Observed not attached")
			}
			if o.Level != tt.level || math.Abs(o.MaxGap-tt.maxGap) > 0.001 {
				t.Errorf("level %s maxGap %.4f, want %s %.4f", o.Level, o.MaxGap, tt.level, tt.maxGap)
			}
			shares := 0
			for i, e := range p.Endpoints {
				if e.ObservedLevel != tt.levels[i] {
					t.Errorf("%s: level %s, want %s", e.Pod, e.ObservedLevel, tt.levels[i])
				}
				if e.ObservedShare != nil {
					shares++
				}
			}
			if shares != tt.withShares {
				t.Errorf("%d pods with an observed share, want %d", shares, tt.withShares)
			}
			if len(o.Explanations) != len(tt.explain) {
				t.Fatalf("explanations %q, want %d matching %q", o.Explanations, len(tt.explain), tt.explain)
			}
			for i, want := range tt.explain {
				if !strings.Contains(o.Explanations[i], want) {
					t.Errorf("explanation %d = %q, want it to mention %q", i, o.Explanations[i], want)
				}
			}
			if len(o.Warnings) != tt.warnings {
				t.Errorf("warnings %q, want %d", o.Warnings, tt.warnings)
			}
		})
	}
}

func TestLevelForGap(t *testing.T) {
	for gap, want := range map[float64]GapLevel{0: GapHealthy, 0.0999: GapHealthy, 0.1: GapDegraded, -0.2: GapDegraded, 0.25: GapFailure, -1: GapFailure} {
		if got := LevelForGap(gap); got != want {
			t.Errorf("LevelForGap(%v) = %s, want %s", gap, got, want)
		}
	}
}

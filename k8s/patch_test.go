package k8s

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/ktraffic/ktraffic/model"
)

func overrides(t *testing.T, pairs ...string) model.Overrides {
	t.Helper()
	o, err := model.ParseOverrides(pairs)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestNewPatch(t *testing.T) {
	lb := model.Service{Namespace: "default", Name: "web", Type: "LoadBalancer", ExternalTrafficPolicy: "Cluster", InternalTrafficPolicy: "Cluster", SessionAffinity: "None"}
	sticky := lb
	sticky.SessionAffinity, sticky.SessionAffinityTimeoutSeconds = "ClientIP", 10800
	close := lb
	close.TrafficDistribution = "PreferClose"
	tests := []struct {
		name    string
		svc     model.Service
		set     []string
		body    string
		summary []string
		wantErr string
	}{
		{
			name:    "external traffic policy",
			svc:     lb,
			set:     []string{"externalTrafficPolicy=Local"},
			body:    `{"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"default"},"spec":{"externalTrafficPolicy":"Local"}}`,
			summary: []string{"spec.externalTrafficPolicy: Cluster → Local"},
		},
		{
			name:    "unchanged values are left out",
			svc:     lb,
			set:     []string{"externalTrafficPolicy=Cluster", "internalTrafficPolicy=Local"},
			body:    `{"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"default"},"spec":{"internalTrafficPolicy":"Local"}}`,
			summary: []string{"spec.internalTrafficPolicy: Cluster → Local"},
		},
		{
			name: "nothing changes",
			svc:  lb,
			set:  []string{"sessionAffinity=None"},
			body: `{"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"default"}}`,
		},
		{
			name:    "affinity with timeout",
			svc:     lb,
			set:     []string{"sessionAffinity=ClientIP", "sessionAffinityTimeoutSeconds=600"},
			body:    `{"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"default"},"spec":{"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":600}}}}`,
			summary: []string{"spec.sessionAffinity: None → ClientIP", "spec.sessionAffinityConfig.clientIP.timeoutSeconds: 0 → 600"},
		},
		{
			name:    "default timeout counts as the current value",
			svc:     model.Service{Namespace: "default", Name: "web", Type: "ClusterIP", SessionAffinity: "ClientIP"},
			set:     []string{"sessionAffinityTimeoutSeconds=10800"},
			body:    `{"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"default"}}`,
			summary: nil,
		},
		{
			name:    "affinity off sends no config",
			svc:     sticky,
			set:     []string{"sessionAffinity=None"},
			body:    `{"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"default"},"spec":{"sessionAffinity":"None"}}`,
			summary: []string{"spec.sessionAffinity: ClientIP → None"},
		},
		{
			name:    "traffic distribution removed",
			svc:     close,
			set:     []string{"trafficDistribution=none"},
			body:    `{"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"default"}}`,
			summary: []string{"spec.trafficDistribution: PreferClose → (removed)"},
		},
		{
			name:    "policy on a ClusterIP Service is left to the API server to judge",
			svc:     model.Service{Namespace: "default", Name: "web", Type: "ClusterIP"},
			set:     []string{"externalTrafficPolicy=Local"},
			body:    `{"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"default"},"spec":{"externalTrafficPolicy":"Local"}}`,
			summary: []string{"spec.externalTrafficPolicy: (unset) → Local"},
		},
		{name: "lbMode is no Service field", svc: lb, set: []string{"lbMode=pods"}, wantErr: "lbMode: not a Service field"},
		{name: "lbNode is no Service field", svc: lb, set: []string{"externalTrafficPolicy=Local", "lbNode=node-a"}, wantErr: "lbNode: not a Service field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPatch(&tt.svc, overrides(t, tt.set...))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(p.Config)
			if string(b) != tt.body {
				t.Errorf("body =\n%s\nwant\n%s", b, tt.body)
			}
			if got := p.Summary(); !reflect.DeepEqual(got, tt.summary) {
				t.Errorf("summary = %q, want %q", got, tt.summary)
			}
			if p.Empty() != (len(tt.summary) == 0) {
				t.Errorf("Empty() = %v with summary %q", p.Empty(), tt.summary)
			}
		})
	}
}

func TestPatchYAML(t *testing.T) {
	svc := model.Service{Namespace: "shop", Name: "web", Type: "LoadBalancer", TrafficDistribution: "PreferClose"}
	p, err := NewPatch(&svc, overrides(t, "externalTrafficPolicy=Local", "trafficDistribution=none"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.YAML()
	if err != nil {
		t.Fatal(err)
	}
	want := `# removes spec.trafficDistribution (was PreferClose)
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  externalTrafficPolicy: Local
`
	if got != want {
		t.Fatalf("YAML =\n%s\nwant\n%s", got, want)
	}
}

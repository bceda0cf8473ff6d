package model

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseDrill(t *testing.T) {
	tests := []struct {
		in      string
		want    Drill
		wantErr string
	}{
		{in: "node-down=node-a", want: Drill{Kind: DrillNodeDown, Target: "node-a"}},
		{in: "node-cordon=node-a", want: Drill{Kind: DrillNodeCordon, Target: "node-a"}},
		{in: "zone-down=z1", want: Drill{Kind: DrillZoneDown, Target: "z1"}},
		{in: "pod-not-ready=default/kiada-1", want: Drill{Kind: DrillPodNotReady, Target: "default/kiada-1"}},
		{in: "scale=node-a:+2", want: Drill{Kind: DrillScale, Target: "node-a", Delta: 2}},
		{in: "scale=node-a:-1", want: Drill{Kind: DrillScale, Target: "node-a", Delta: -1}},
		{in: "scale=node-a:3", want: Drill{Kind: DrillScale, Target: "node-a", Delta: 3}},
		{in: "node-down", wantErr: "valid: node-down=NODE"},
		{in: "node-down=", wantErr: "valid: node-down=NODE"},
		{in: "pod-not-ready=kiada-1", wantErr: "needs NAMESPACE/NAME"},
		{in: "pod-not-ready=/kiada-1", wantErr: "needs NAMESPACE/NAME"},
		{in: "scale=node-a", wantErr: "NODE:+N"},
		{in: "scale=node-a:+0", wantErr: "NODE:+N"},
		{in: "scale=:+1", wantErr: "NODE:+N"},
		{in: "scale=node-a:two", wantErr: "NODE:+N"},
		{in: "reboot=node-a", wantErr: `unknown drill "reboot"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDrill(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseDrill(%q) error = %v, want it to contain %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDrill(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParseDrill(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if back, _ := ParseDrill(got.String()); back != got {
				t.Fatalf("String() %q does not parse back to %+v", got.String(), got)
			}
		})
	}
}

func boolp(b bool) *bool { return &b }

// drillSnapshot: two zones, node-a (z1) with pods 1 and 2, node-b (z2)
// with pod 3, node-c (z2) with none; another Service shares node-a.
func drillSnapshot(publishNotReady bool) *Snapshot {
	ep := func(n int, node, zone string) Endpoint {
		name := "web-" + string(rune('0'+n))
		return Endpoint{Addresses: []string{"10.0.0." + string(rune('0'+n))}, Ready: boolp(true), NodeName: node, Zone: zone, PodNamespace: "default", PodName: name}
	}
	pod := func(n int, node string) Pod {
		return Pod{Namespace: "default", Name: "web-" + string(rune('0'+n)), NodeName: node, Ready: true, Phase: "Running", Labels: map[string]string{"app": "web"}}
	}
	return &Snapshot{
		Services: []Service{
			{Namespace: "default", Name: "other", Type: "ClusterIP"},
			{Namespace: "default", Name: "web", Type: "LoadBalancer", Selector: map[string]string{"app": "web"}, PublishNotReadyAddresses: publishNotReady},
		},
		Slices: []EndpointSlice{
			{Namespace: "default", Name: "other-x", Service: "other", AddressType: "IPv4", Endpoints: []Endpoint{{Addresses: []string{"10.0.1.1"}, Ready: boolp(true), NodeName: "node-a"}}},
			{Namespace: "default", Name: "web-x", Service: "web", AddressType: "IPv4", Ports: []EndpointPort{{Name: "http", Port: 8080, Protocol: "TCP"}},
				Endpoints: []Endpoint{ep(1, "node-a", "z1"), ep(2, "node-a", "z1"), ep(3, "node-b", "z2")}},
		},
		Pods:       []Pod{pod(1, "node-a"), pod(2, "node-a"), pod(3, "node-b")},
		Nodes:      []Node{{Name: "node-a", Zone: "z1", Ready: true}, {Name: "node-b", Zone: "z2", Ready: true}, {Name: "node-c", Zone: "z2", Ready: true}},
		NodesKnown: true,
	}
}

// endpointState renders the web Service's endpoints as "pod@node:R/S"
// (R ready, S serving, lower case when false).
func endpointState(s *Snapshot) []string {
	var out []string
	for _, sl := range s.Slices {
		if sl.Service != "web" {
			continue
		}
		for _, e := range sl.Endpoints {
			r, sv := "R", "S"
			if e.Ready != nil && !*e.Ready {
				r = "r"
			}
			if e.Serving != nil && !*e.Serving {
				sv = "s"
			}
			out = append(out, e.PodName+"@"+e.NodeName+":"+r+sv)
		}
	}
	return out
}

func TestApplyDrills(t *testing.T) {
	tests := []struct {
		name       string
		pnra       bool
		drills     []string
		endpoints  []string
		notReady   []string // nodes
		cordoned   []string
		podsReady  []string
		wantErr    string
		sliceNames []string // of the web Service, when it matters
	}{
		{
			name:      "no drills",
			endpoints: []string{"web-1@node-a:RS", "web-2@node-a:RS", "web-3@node-b:RS"},
			podsReady: []string{"web-1", "web-2", "web-3"},
		},
		{
			name:      "node down takes its endpoints out",
			drills:    []string{"node-down=node-a"},
			endpoints: []string{"web-1@node-a:rs", "web-2@node-a:rs", "web-3@node-b:RS"},
			notReady:  []string{"node-a"},
			podsReady: []string{"web-3"},
		},
		{
			name:      "node down under publishNotReadyAddresses keeps endpoints ready",
			pnra:      true,
			drills:    []string{"node-down=node-a"},
			endpoints: []string{"web-1@node-a:Rs", "web-2@node-a:Rs", "web-3@node-b:RS"},
			notReady:  []string{"node-a"},
			podsReady: []string{"web-3"},
		},
		{
			name:      "cordon changes no endpoint",
			drills:    []string{"node-cordon=node-b"},
			endpoints: []string{"web-1@node-a:RS", "web-2@node-a:RS", "web-3@node-b:RS"},
			cordoned:  []string{"node-b"},
			podsReady: []string{"web-1", "web-2", "web-3"},
		},
		{
			name:      "zone down takes every node of the zone",
			drills:    []string{"zone-down=z2"},
			endpoints: []string{"web-1@node-a:RS", "web-2@node-a:RS", "web-3@node-b:rs"},
			notReady:  []string{"node-b", "node-c"},
			podsReady: []string{"web-1", "web-2"},
		},
		{
			name:      "pod not ready",
			drills:    []string{"pod-not-ready=default/web-2"},
			endpoints: []string{"web-1@node-a:RS", "web-2@node-a:rs", "web-3@node-b:RS"},
			podsReady: []string{"web-1", "web-3"},
		},
		{
			name:       "scale up twice on one node gives distinct pods",
			drills:     []string{"scale=node-c:+1", "scale=node-c:+2"},
			endpoints:  []string{"web-1@node-a:RS", "web-2@node-a:RS", "web-3@node-b:RS", "web-drill-node-c-1@node-c:RS", "web-drill-node-c-2@node-c:RS", "web-drill-node-c-3@node-c:RS"},
			podsReady:  []string{"web-1", "web-2", "web-3", "web-drill-node-c-1", "web-drill-node-c-2", "web-drill-node-c-3"},
			sliceNames: []string{"web-x", "web-drill-node-c-1", "web-drill-node-c-2"},
		},
		{
			name:      "scale down removes the node's newest endpoint and its pod",
			drills:    []string{"scale=node-a:-1"},
			endpoints: []string{"web-1@node-a:RS", "web-3@node-b:RS"},
			podsReady: []string{"web-1", "web-3"},
		},
		{
			name:      "scale up then down removes the drill pod first",
			drills:    []string{"scale=node-a:+1", "scale=node-a:-1"},
			endpoints: []string{"web-1@node-a:RS", "web-2@node-a:RS", "web-3@node-b:RS"},
			podsReady: []string{"web-1", "web-2", "web-3"},
		},
		{name: "unknown node", drills: []string{"node-down=node-z"}, wantErr: `no node "node-z"`},
		{name: "unknown cordon node", drills: []string{"node-cordon=node-z"}, wantErr: `no node "node-z"`},
		{name: "unknown zone", drills: []string{"zone-down=z9"}, wantErr: `no node in zone "z9"`},
		{name: "pod of another Service", drills: []string{"pod-not-ready=default/other-1"}, wantErr: "is not an endpoint of default/web"},
		{name: "scale on unknown node", drills: []string{"scale=node-z:+1"}, wantErr: `no node "node-z"`},
		{name: "scale below zero", drills: []string{"scale=node-b:-2"}, wantErr: "has 1 endpoint on node \"node-b\", cannot remove 2"},
		{name: "scale down where there is nothing", drills: []string{"scale=node-c:-1"}, wantErr: "has 0 endpoints"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := drillSnapshot(tt.pnra)
			orig := drillSnapshot(tt.pnra)
			var drills []Drill
			for _, s := range tt.drills {
				d, err := ParseDrill(s)
				if err != nil {
					t.Fatal(err)
				}
				drills = append(drills, d)
			}
			got, err := ApplyDrills(snap, "default/web", drills)
			if !reflect.DeepEqual(snap, orig) {
				t.Fatal("ApplyDrills changed its input snapshot")
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e := endpointState(got); !reflect.DeepEqual(e, tt.endpoints) {
				t.Errorf("endpoints = %q, want %q", e, tt.endpoints)
			}
			var notReady, cordoned, ready []string
			for _, n := range got.Nodes {
				if !n.Ready {
					notReady = append(notReady, n.Name)
				}
				if n.Unschedulable {
					cordoned = append(cordoned, n.Name)
				}
			}
			for _, p := range got.Pods {
				if p.Ready {
					ready = append(ready, p.Name)
				}
			}
			if !reflect.DeepEqual(notReady, tt.notReady) {
				t.Errorf("not-ready nodes = %q, want %q", notReady, tt.notReady)
			}
			if !reflect.DeepEqual(cordoned, tt.cordoned) {
				t.Errorf("cordoned nodes = %q, want %q", cordoned, tt.cordoned)
			}
			if !reflect.DeepEqual(ready, tt.podsReady) {
				t.Errorf("ready pods = %q, want %q", ready, tt.podsReady)
			}
			if tt.sliceNames != nil {
				var names []string
				for _, sl := range got.Slices {
					if sl.Service == "web" {
						names = append(names, sl.Name)
						if sl.AddressType != "IPv4" || len(sl.Ports) != 1 {
							t.Errorf("slice %s: addressType %q ports %v, want the Service's", sl.Name, sl.AddressType, sl.Ports)
						}
					}
				}
				if !reflect.DeepEqual(names, tt.sliceNames) {
					t.Errorf("slices = %q, want %q", names, tt.sliceNames)
				}
			}
			if other := got.Slices[0].Endpoints[0]; other.Ready == nil || !*other.Ready {
				t.Error("a drill changed another Service's endpoints")
			}
		})
	}
}

func TestApplyDrillsUnknownService(t *testing.T) {
	_, err := ApplyDrills(drillSnapshot(false), "default/nope", []Drill{{Kind: DrillNodeDown, Target: "node-a"}})
	if err == nil || !strings.Contains(err.Error(), "no Service default/nope") {
		t.Fatalf("error = %v", err)
	}
}

func TestApplyDrillsNoneReturnsSameSnapshot(t *testing.T) {
	s := drillSnapshot(false)
	if got, err := ApplyDrills(s, "default/web", nil); err != nil || got != s {
		t.Fatalf("ApplyDrills(nil) = %p, %v; want the input", got, err)
	}
}

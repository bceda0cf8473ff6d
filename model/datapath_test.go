package model

import (
	"slices"
	"strings"
	"testing"
)

func TestIPVSSchedulerAnnotationIsNotRead(t *testing.T) {
	for _, tt := range []struct {
		name string
		dp   Datapath
		says string
	}{
		{"iptables cluster", Datapath{Proxy: ProxyKubeProxy, Mode: ModeIPTables}, "IPVS is not in use here"},
		{"ipvs sh cluster", Datapath{Proxy: ProxyKubeProxy, Mode: ModeIPVS, IPVSScheduler: "sh"}, "the cluster's scheduler is sh"},
		{"unknown mode", Datapath{}, "defaults to rr"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			snap := mkSnap(mkSvc("default/my-service", TypeClusterIP, withAnn(AnnotationIPVSScheduler, "rr")),
				[]Node{mkNode("n1", "z1")}, mkEP("default/a", "10.0.0.1", "n1", "z1"))
			snap.Datapath = tt.dp
			p, err := Predict(snap, Request{Service: "default/my-service"})
			if err != nil {
				t.Fatal(err)
			}
			f := findingOf(p, CodeIPVSSchedulerAnnotationIgnored)
			if f == nil || f.Level != LevelWarning || !strings.Contains(f.Message, "not read by upstream kube-proxy") || !strings.Contains(f.Message, tt.says) {
				t.Errorf("finding %+v", f)
			}
		})
	}
}

func TestDatapathView(t *testing.T) {
	tests := []struct {
		name  string
		dp    Datapath
		set   []string
		text  string
		pick  string
		known bool
	}{
		{"unknown is assumed iptables", Datapath{}, nil, "kube-proxy iptables (assumed)", PickRandom, false},
		{"nftables", Datapath{Proxy: ProxyKubeProxy, Mode: ModeNFTables}, nil, "kube-proxy nftables", PickRandom, true},
		{"ipvs defaults to rr", Datapath{Proxy: ProxyKubeProxy, Mode: ModeIPVS}, nil, "kube-proxy ipvs (rr)", PickInTurn, true},
		{"ipvs sh", Datapath{Proxy: ProxyKubeProxy, Mode: ModeIPVS, IPVSScheduler: "sh"}, nil, "kube-proxy ipvs (sh)", PickPerClient, true},
		{"what-if dh", Datapath{}, []string{"ipvsScheduler=dh"}, "kube-proxy ipvs (dh, what-if)", PickPerNode, true},
		{"cilium maglev dsr", Datapath{Proxy: ProxyCilium, LBAlgorithm: "maglev", LBMode: "dsr"}, nil, "cilium ebpf (maglev, DSR)", PickConsistent, true},
		{"what-if cilium", Datapath{Proxy: ProxyKubeProxy, Mode: ModeIPTables}, []string{"proxyMode=cilium"}, "cilium ebpf (random, what-if)", PickRandom, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseOverrides(tt.set)
			if err != nil {
				t.Fatal(err)
			}
			var s Settings
			datapathSettings(&s, tt.dp, o)
			v := datapathView(tt.dp, s, o)
			if v.Text() != tt.text || v.Pick != tt.pick || v.Known != tt.known {
				t.Errorf("got %q pick %s known %v", v.Text(), v.Pick, v.Known)
			}
			if !v.Known && v.Assumed == "" {
				t.Error("assumed without saying what")
			}
		})
	}
}

func TestDatapathOverridesAreNeverApplied(t *testing.T) {
	o, err := ParseOverrides([]string{"proxyMode=ipvs", "ipvsScheduler=sh", "ciliumLBMode=dsr", "externalTrafficPolicy=Local"})
	if err != nil {
		t.Fatal(err)
	}
	if got := o.NotServiceFields(); !slices.Equal(got, []string{KeyProxyMode, KeyIPVSScheduler, KeyCiliumLBMode}) {
		t.Errorf("NotServiceFields = %v", got)
	}
	if sf := o.ServiceFields(); sf.ProxyMode != nil || sf.IPVSScheduler != nil || sf.CiliumLBMode != nil || sf.ExternalTrafficPolicy == nil {
		t.Errorf("ServiceFields = %v", sf.Pairs())
	}
	if _, err := ParseOverrides([]string{"ipvsScheduler=wlc2"}); err == nil || !strings.Contains(err.Error(), "rr, lc, dh, sh, sed, nq") {
		t.Errorf("bad scheduler: %v", err)
	}
}

// Cilium's DSR keeps the client's address under Cluster; kube-proxy
// SNATs it.
func TestDSRKeepsClientIP(t *testing.T) {
	snap := mkSnap(mkSvc("default/web", TypeLoadBalancer), []Node{mkNode("n1", "z1"), mkNode("n2", "z1")},
		mkEP("default/a", "10.0.0.1", "n1", "z1"))
	snap.Services[0].LoadBalancerIngress = []LoadBalancerIngress{{IP: "198.51.100.1"}}
	for _, tt := range []struct {
		dp   Datapath
		kept bool
	}{
		{Datapath{Proxy: ProxyKubeProxy, Mode: ModeIPTables}, false},
		{Datapath{Proxy: ProxyCilium, LBMode: CiliumLBSNAT}, false},
		{Datapath{Proxy: ProxyCilium, LBMode: CiliumLBDSR}, true},
		{Datapath{Proxy: ProxyCilium, LBMode: CiliumLBHybrid}, true},
	} {
		snap.Datapath = tt.dp
		p, err := Predict(snap, Request{Service: "default/web"})
		if err != nil {
			t.Fatal(err)
		}
		if p.ClientIPPreserved != tt.kept || hasCode(p, CodeDSRKeepsClientIP) != tt.kept || hasCode(p, CodeClientIPLost) == tt.kept {
			t.Errorf("%+v: client IP kept %v, findings %s", tt.dp, p.ClientIPPreserved, codes(p))
		}
	}
}

// kube-proxy's IPVS proxier (syncEndpoint) falls back to cluster
// endpoints under a Local policy where iptables drops.
func TestConformanceIPVSLocalFallback(t *testing.T) {
	snap := mkSnap(mkSvc("default/web", TypeNodePort, iTPLocal), []Node{mkNode("n1", "z1"), mkNode("n2", "z1")},
		mkEP("default/a", "10.0.0.1", "n1", "z1"))
	for _, tt := range []struct {
		mode     string
		from     string
		dropped  float64
		fallback bool
	}{
		{ModeIPTables, "internal", 0.5, false},
		{ModeIPVS, "internal", 0, true},
		{ModeIPVS, "internal:n2", 0, true},
	} {
		snap.Datapath = Datapath{Proxy: ProxyKubeProxy, Mode: tt.mode}
		src, _ := ParseSource(tt.from)
		p, err := Predict(snap, Request{Service: "default/web", Source: src})
		if err != nil {
			t.Fatal(err)
		}
		if !near(p.Dropped, tt.dropped) || hasCode(p, CodeIPVSLocalFallback) != tt.fallback {
			t.Errorf("%s from %s: dropped %v, findings %s", tt.mode, tt.from, p.Dropped, codes(p))
		}
	}
	// External traffic under externalTrafficPolicy: Local is still lost:
	// the pod's reply does not come back through the node.
	snap = mkSnap(mkSvc("default/web", TypeNodePort, eTPLocal), []Node{mkNode("n1", "z1"), mkNode("n2", "z1")},
		mkEP("default/a", "10.0.0.1", "n1", "z1"))
	snap.Datapath = Datapath{Proxy: ProxyKubeProxy, Mode: ModeIPVS}
	p, err := Predict(snap, Request{Service: "default/web", Source: TrafficSource{Kind: SourceNodePort}})
	if err != nil {
		t.Fatal(err)
	}
	if !near(p.Dropped, 0.5) {
		t.Errorf("IPVS NodePort under Local: dropped %v, want 0.5", p.Dropped)
	}
}

func findingOf(p *Prediction, code string) *Finding {
	for i := range p.Findings {
		if p.Findings[i].Code == code {
			return &p.Findings[i]
		}
	}
	return nil
}

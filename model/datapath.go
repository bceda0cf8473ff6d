package model

import (
	"fmt"
	"sort"
	"strings"
)

// Datapath is what forwards Service traffic on the nodes, as a source
// found it: kube-proxy in one of its modes, or Cilium replacing it. The
// mode changes how a node picks an endpoint for each new connection
// (kube-proxy's iptables and nftables modes pick at random, IPVS by its
// scheduler), whether pods see the client's address under Cluster
// (Cilium's DSR), and what a node without a local endpoint does.
type Datapath struct {
	// Proxy is ProxyKubeProxy, ProxyCilium, or "" when unknown.
	Proxy string
	// Mode is kube-proxy's mode (iptables, nftables, ipvs, kernelspace);
	// "" when unknown or when Cilium replaces kube-proxy.
	Mode string
	// Source says where Proxy and Mode were read ("ConfigMap
	// kube-system/kube-proxy").
	Source string
	// NodeModes is each node's answer to kube-proxy's /proxyMode, for the
	// nodes that answered.
	NodeModes map[string]string
	// IPVSScheduler is kube-proxy's ipvs.scheduler; "" is rr, its default.
	IPVSScheduler string
	// LBAlgorithm and LBMode are Cilium's bpf-lb-algorithm (random,
	// maglev) and bpf-lb-mode (snat, dsr, hybrid); "" is its default.
	LBAlgorithm string
	LBMode      string
	// Notes say what could not be read, for the user.
	Notes []string
}

// Datapath proxies and modes.
const (
	ProxyKubeProxy = "kube-proxy"
	ProxyCilium    = "cilium"

	ModeIPTables    = "iptables"
	ModeNFTables    = "nftables"
	ModeIPVS        = "ipvs"
	ModeKernelspace = "kernelspace"
	// ModeCilium is proxyMode's value for Cilium's kube-proxy replacement.
	ModeCilium = "cilium"

	CiliumLBSNAT   = "snat"
	CiliumLBDSR    = "dsr"
	CiliumLBHybrid = "hybrid"
)

// IPVS schedulers kube-proxy can be configured with (ipvs.scheduler; the
// kernel's ip_vs_SCHED modules).
const (
	SchedRoundRobin    = "rr"
	SchedLeastConn     = "lc"
	SchedDestHash      = "dh"
	SchedSourceHash    = "sh"
	SchedShortestDelay = "sed"
	SchedNeverQueue    = "nq"
	SchedMaglev        = "mh"
)

// How a node picks an endpoint for each new connection (DatapathView.Pick).
const (
	PickRandom     = "random"      // iptables, nftables, Cilium's random: an independent draw per connection
	PickInTurn     = "in-turn"     // IPVS rr, lc, sed, nq: endpoints in turn (for long-lived connections, least-connections is in turn too)
	PickPerClient  = "per-client"  // IPVS sh and mh: a hash of the client's address, so one client stays on one endpoint
	PickPerNode    = "per-node"    // IPVS dh: a hash of the destination, the Service address, so one endpoint per node
	PickConsistent = "consistent"  // Cilium's Maglev: a hash of the connection, the same on every node
	PickPerRequest = "per-request" // an L7 proxy in front balances requests, not connections
)

// AnnotationIPVSScheduler is an annotation blog posts (and the seeds)
// show on Services; upstream kube-proxy never reads it: the scheduler is
// ipvs.scheduler in kube-proxy's configuration, one for every Service.
const AnnotationIPVSScheduler = "service.beta.kubernetes.io/ipvs-scheduler"

// DatapathView is the datapath a prediction used, in its JSON form.
type DatapathView struct {
	// Proxy is "kube-proxy" or "cilium"; Mode kube-proxy's mode
	// (iptables, nftables, ipvs) or "ebpf" for Cilium.
	Proxy string `json:"proxy"`
	Mode  string `json:"mode"`
	// Known is false when the source could not tell and Mode is assumed;
	// Assumed then says what was assumed.
	Known   bool   `json:"known"`
	Assumed string `json:"assumed,omitempty"`
	Source  string `json:"source,omitempty"`
	// Scheduler is IPVS's scheduler or Cilium's algorithm; Pick is how a
	// node picks an endpoint for a new connection (random, in-turn,
	// per-client, per-node, consistent).
	Scheduler string `json:"scheduler,omitempty"`
	Pick      string `json:"pick"`
	// DSR is set when replies bypass the entry node (Cilium's DSR), so
	// pods see the client's address even under Cluster.
	DSR bool `json:"dsr,omitempty"`
	// Nodes lists the nodes whose kube-proxy reported another mode than
	// Mode, by name.
	Nodes map[string]string `json:"nodes,omitempty"`
	// WhatIf is set when the mode or scheduler comes from --set.
	WhatIf bool `json:"whatIf,omitempty"`
}

// datapathSettings fills the effective datapath settings: the
// overrides, else what the source found.
func datapathSettings(s *Settings, dp Datapath, o Overrides) {
	switch {
	case dp.Proxy == ProxyCilium:
		s.ProxyMode = ModeCilium
	default:
		s.ProxyMode = dp.Mode
	}
	s.IPVSScheduler = dp.IPVSScheduler
	s.CiliumLBMode = dp.LBMode
	if o.ProxyMode != nil {
		s.ProxyMode = *o.ProxyMode
	}
	if o.IPVSScheduler != nil {
		s.IPVSScheduler = *o.IPVSScheduler
		if o.ProxyMode == nil && s.ProxyMode != ModeIPVS {
			s.ProxyMode = ModeIPVS // a scheduler means IPVS
		}
	}
	if o.CiliumLBMode != nil {
		s.CiliumLBMode = *o.CiliumLBMode
		if o.ProxyMode == nil {
			s.ProxyMode = ModeCilium
		}
	}
	if s.ProxyMode == ModeIPVS && s.IPVSScheduler == "" {
		s.IPVSScheduler = SchedRoundRobin
	}
	if s.ProxyMode != ModeIPVS {
		s.IPVSScheduler = ""
	}
	if s.ProxyMode != ModeCilium {
		s.CiliumLBMode = ""
	} else if s.CiliumLBMode == "" {
		s.CiliumLBMode = CiliumLBSNAT
	}
}

// datapathView describes the datapath a prediction ran on.
func datapathView(dp Datapath, s Settings, o Overrides) *DatapathView {
	v := &DatapathView{Source: dp.Source, WhatIf: o.ProxyMode != nil || o.IPVSScheduler != nil || o.CiliumLBMode != nil}
	switch s.ProxyMode {
	case "":
		v.Proxy, v.Mode, v.Pick = ProxyKubeProxy, ModeIPTables, PickRandom
		v.Assumed = "kube-proxy's mode is unknown (" + datapathUnknownWhy(dp) + "), so iptables/nftables semantics are assumed"
		return v
	case ModeCilium:
		v.Proxy, v.Mode, v.Known = ProxyCilium, "ebpf", true
		v.Scheduler = dp.LBAlgorithm
		if o.ProxyMode != nil || v.Scheduler == "" {
			v.Scheduler = "random"
		}
		v.Pick = PickRandom
		if v.Scheduler == "maglev" {
			v.Pick = PickConsistent
		}
		v.DSR = s.CiliumLBMode == CiliumLBDSR || s.CiliumLBMode == CiliumLBHybrid
	default:
		v.Proxy, v.Mode, v.Known = ProxyKubeProxy, s.ProxyMode, true
		v.Pick = PickRandom
		if s.ProxyMode == ModeIPVS {
			v.Scheduler = s.IPVSScheduler
			v.Pick = ipvsPick(v.Scheduler)
		}
	}
	for n, m := range dp.NodeModes {
		if m != v.Mode && v.Proxy == ProxyKubeProxy {
			if v.Nodes == nil {
				v.Nodes = map[string]string{}
			}
			v.Nodes[n] = m
		}
	}
	return v
}

func datapathUnknownWhy(dp Datapath) string {
	if len(dp.Notes) > 0 {
		return dp.Notes[0]
	}
	return "the input holds neither kube-proxy's ConfigMap nor a Cilium configuration"
}

// ipvsPick is how an IPVS scheduler picks a real server for a new
// connection when every real server has weight 1, as kube-proxy sets them.
func ipvsPick(sched string) string {
	switch sched {
	case SchedSourceHash, SchedMaglev:
		return PickPerClient
	case SchedDestHash:
		return PickPerNode
	case SchedRoundRobin, SchedLeastConn, SchedShortestDelay, SchedNeverQueue, "wrr", "wlc":
		return PickInTurn
	}
	return PickRandom
}

// keepsClientIPUnderCluster: Cilium's DSR forwards to the backend with
// the client's address and the backend answers the client directly.
func (v *DatapathView) keepsClientIPUnderCluster() bool { return v != nil && v.DSR }

// ipvsLocalFallback: kube-proxy's IPVS proxier (syncEndpoint) sends a
// node's traffic to the cluster endpoints when a Local policy finds no
// local one, where iptables and nftables drop it. For in-cluster
// clients that reaches a pod; external clients' replies come back from
// the pod's address and are discarded, so for them it is still lost.
func (v *DatapathView) ipvsLocalFallback() bool { return v != nil && v.Mode == ModeIPVS }

// DescribePick says in words how a node picks an endpoint.
func (v *DatapathView) DescribePick() string {
	switch v.Pick {
	case PickInTurn:
		return "endpoints in turn on each node (IPVS " + v.Scheduler + ")"
	case PickPerClient:
		return "one endpoint per client address (IPVS " + v.Scheduler + ": a hash of the source address)"
	case PickPerNode:
		return "one endpoint per node (IPVS dh hashes the destination, which is the Service address for every connection)"
	case PickConsistent:
		return "a consistent hash of each connection, the same on every node (Cilium Maglev)"
	}
	return "an endpoint at random for each new connection"
}

// Text is the datapath in a few words: "kube-proxy ipvs (sh)",
// "cilium ebpf (maglev, DSR)", "kube-proxy iptables (assumed)".
func (v *DatapathView) Text() string {
	s := v.Proxy + " " + v.Mode
	var extra []string
	if v.Scheduler != "" {
		extra = append(extra, v.Scheduler)
	}
	if v.DSR {
		extra = append(extra, "DSR")
	}
	if !v.Known {
		extra = append(extra, "assumed")
	}
	if v.WhatIf {
		extra = append(extra, "what-if")
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	if len(v.Nodes) > 0 {
		names := make([]string, 0, len(v.Nodes))
		for n := range v.Nodes {
			names = append(names, n)
		}
		sort.Strings(names)
		s += fmt.Sprintf("; %s another mode: %s", Counted(len(names), "node reports", "nodes report"), listNames(names, 3))
	}
	return s
}

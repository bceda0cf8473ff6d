package model

import (
	"fmt"
	"sort"
	"strings"
)

// Finding codes of the datapath.
const (
	CodeIPVSSchedulerAnnotationIgnored = "IPVSSchedulerAnnotationIgnored"
	CodeIPVSDestinationHash            = "IPVSDestinationHash"
	CodeIPVSSourceHash                 = "IPVSSourceHash"
	CodeIPVSLocalFallback              = "IPVSLocalFallback"
	CodeDSRKeepsClientIP               = "DSRKeepsClientIP"
	CodeProxyModeMixed                 = "ProxyModeMixed"
)

// datapathFindings says what the datapath that runs changes, against
// what the Service (or a blog post) suggests.
func (p *predictor) datapathFindings(add addFunc) {
	v := p.datapath
	if v == nil || p.pred.DNS != nil || p.endpointsUnknown {
		return
	}
	if sched, ok := p.svc.Annotations[AnnotationIPVSScheduler]; ok {
		actual := "IPVS is not in use here"
		switch {
		case v.Mode == ModeIPVS:
			actual = "the cluster's scheduler is " + v.Scheduler
		case !v.Known:
			actual = "kube-proxy's mode is unknown; in ipvs mode its scheduler defaults to rr"
		}
		add(LevelWarning, CodeIPVSSchedulerAnnotationIgnored, "The annotation %s: %q is not read by upstream kube-proxy: in ipvs mode one scheduler serves every Service, ipvs.scheduler in kube-proxy's configuration (--ipvs-scheduler), and %s. Set the scheduler in kube-proxy's configuration, or drop the annotation.",
			AnnotationIPVSScheduler, sched, actual)
	}
	throughProxy := !(p.source.Kind == SourceLB && p.settings.LBMode == LBModePods) && !(p.entry != nil && p.entry.hop == HopPods)
	if !throughProxy {
		return
	}
	switch v.Pick {
	case PickPerNode:
		add(LevelWarning, CodeIPVSDestinationHash, "IPVS dh hashes each connection's destination, and every connection to this Service has the same one (the cluster IP, or the node's address for a NodePort): each node sends all its connections to one pod, and pods no node's hash lands on get none. The shares above are averages over the unknown hash.")
	case PickPerClient:
		add(LevelInfo, CodeIPVSSourceHash, "IPVS %s hashes each client's address: a client stays on one pod while the pods do not change (like sessionAffinity: ClientIP without a timeout, kept by each node), so a few clients, or many behind one NAT, load a few pods.", v.Scheduler)
	}
	if v.DSR && !p.usesLocal() && (p.source.Kind == SourceLB || p.source.Kind == SourceNodePort) {
		add(LevelInfo, CodeDSRKeepsClientIP, "Cilium forwards in DSR mode (bpf-lb-mode %s): under externalTrafficPolicy: Cluster the pods still see the client's address and answer it directly, without the SNAT kube-proxy needs.", p.settings.CiliumLBMode)
	}
	p.ipvsFallbackFinding(add)
	if len(v.Nodes) > 0 {
		names := make([]string, 0, len(v.Nodes))
		for n := range v.Nodes {
			names = append(names, n+" ("+v.Nodes[n]+")")
		}
		sort.Strings(names)
		add(LevelWarning, CodeProxyModeMixed, "kube-proxy runs in another mode on %s than the %s assumed here: %s. Nodes in another mode pick endpoints their own way.", Counted(len(names), "node", "nodes"), v.Mode, listNames(names, 5))
	}
}

// ipvsFallbackFinding: under internalTrafficPolicy: Local, IPVS sends the
// clients of nodes without a local endpoint to the cluster's endpoints.
func (p *predictor) ipvsFallbackFinding(add addFunc) {
	if !p.datapath.ipvsLocalFallback() || p.settings.InternalTrafficPolicy != PolicyLocal {
		return
	}
	if k := p.source.Kind; k != SourceInternal && k != SourcePod && !(p.entry != nil && p.entry.hop == HopClusterIP) {
		return
	}
	n, names := p.nodesWhere(func(i int) bool {
		_, set := p.topo.localSet(p.nodes[i].Name)
		return len(set) == 0 && p.nodes[i].Ready
	}, 5, nodeName)
	if n == 0 || !p.topo.hasAny() {
		return
	}
	add(LevelInfo, CodeIPVSLocalFallback, "%s", fmt.Sprintf("In ipvs mode kube-proxy sends the in-cluster clients of %s without a local endpoint to the cluster's endpoints instead of dropping them (its syncEndpoint falls back to cluster endpoints): %s. internalTrafficPolicy: Local only prefers local pods here; iptables and nftables would drop.",
		Counted(n, "node", "nodes"), strings.TrimSpace(countedNames(names, n))))
}

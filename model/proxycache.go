package model

import (
	"net/netip"

	utilnet "k8s.io/utils/net"
)

// proxyPort is kube-proxy's ServicePortName without the Service: the
// name and protocol a slice port files its endpoints under.
type proxyPort struct {
	name, protocol string
}

// cachedEndpoint is one endpoint kube-proxy's endpoint-slice cache keeps
// under a proxyPort: the copy that won de-duplication, with the slice
// port number it serves on.
type cachedEndpoint struct {
	e    *Endpoint
	port int32
	addr endpointAddr
}

// endpointAddr is the address part of kube-proxy's "IP:port" key. The
// API server only accepts IP addresses in IPv4 and IPv6 slices; raw keeps
// anything else (a drill's synthetic endpoint) apart by its spelling.
type endpointAddr struct {
	ip  netip.Addr
	raw string
}

func (c cachedEndpoint) ready() bool { return c.e.Ready == nil || *c.e.Ready }

// endpointsMap is the Service's part of kube-proxy's EndpointsMap, built
// the way pkg/proxy/endpointslicecache.go builds it:
//
//   - endpointInfoByServicePort: every port of every slice of the
//     proxier's address family opens an entry keyed by (port name,
//     protocol) — whether or not the Service has such a port; a port
//     without a number is skipped.
//   - addEndpoints: only addresses[0]; de-duplicated on "IP:port" with
//     the IP parsed sloppily (leading zeros allowed) and printed back, so
//     two spellings of one address are one endpoint; a later copy
//     replaces an earlier one unless it is terminating.
//
// Both the shares (one Service port's entry) and the health check
// (LocalReadyEndpoints, every entry) read this one map, so a copy the
// cache discards counts nowhere.
type endpointsMap struct {
	ports map[proxyPort][]cachedEndpoint
	order []proxyPort // first-seen order, for deterministic walks
}

func buildEndpointsMap(snap *Snapshot, sliceIdx []int, svc *Service) endpointsMap {
	family := serviceFamily(snap, sliceIdx, svc)
	m := endpointsMap{ports: map[proxyPort][]cachedEndpoint{}}
	type key struct {
		pp   proxyPort
		addr endpointAddr
		port int32
	}
	n := 0
	for _, si := range sliceIdx {
		n += len(snap.Slices[si].Endpoints) * max(1, len(snap.Slices[si].Ports))
	}
	at := make(map[key]int, n)
	for _, si := range sliceIdx {
		sl := &snap.Slices[si]
		if sliceFamily(sl) != family {
			continue
		}
		for _, sp := range sl.Ports {
			if sp.Port == 0 {
				continue
			}
			pp := proxyPort{sp.Name, protocolOrTCP(sp.Protocol)}
			list, seen := m.ports[pp]
			if !seen {
				m.order = append(m.order, pp)
			}
			for ei := range sl.Endpoints {
				e := &sl.Endpoints[ei]
				if len(e.Addresses) == 0 {
					continue
				}
				addr := parseEndpointAddr(e.Addresses[0])
				k := key{pp, addr, sp.Port}
				c := cachedEndpoint{e: e, port: sp.Port, addr: addr}
				if i, dup := at[k]; dup {
					if !(e.Terminating != nil && *e.Terminating) {
						list[i] = c
					}
					continue
				}
				at[k] = len(list)
				list = append(list, c)
			}
			m.ports[pp] = list
		}
	}
	return m
}

// forPort is the entry a Service port reads: same name and protocol.
func (m endpointsMap) forPort(port ServicePort) []cachedEndpoint {
	return m.ports[proxyPort{port.Name, protocolOrTCP(port.Protocol)}]
}

// localReadyCounts is EndpointsMap.LocalReadyEndpoints
// (endpointschangetracker.go getLocalReadyEndpointIPs) seen from every
// node at once: per node, the distinct IPs of ready endpoints on it,
// across every entry of the map, whatever port a slice lists. This is the
// localEndpoints count kube-proxy's healthCheckNodePort server answers.
func (m endpointsMap) localReadyCounts() map[string]int {
	type nodeIP struct {
		node string
		addr endpointAddr
	}
	n := 0
	for _, pp := range m.order {
		n += len(m.ports[pp])
	}
	seen := make(map[nodeIP]struct{}, n)
	counts := make(map[string]int, n)
	for _, pp := range m.order {
		for _, c := range m.ports[pp] {
			if c.e.NodeName == "" || !c.ready() {
				continue
			}
			k := nodeIP{c.e.NodeName, c.addr}
			if _, dup := seen[k]; !dup {
				seen[k] = struct{}{}
				counts[c.e.NodeName]++
			}
		}
	}
	return counts
}

// parseEndpointAddr parses an address as kube-proxy does (ParseIPSloppy:
// IPv4 with leading zeros is accepted), folding IPv4-mapped IPv6 to IPv4
// as net.IP.String() would.
func parseEndpointAddr(s string) endpointAddr {
	if a, err := netip.ParseAddr(s); err == nil {
		return endpointAddr{ip: a.Unmap()}
	}
	if ip := utilnet.ParseIPSloppy(s); ip != nil {
		if a, ok := netip.AddrFromSlice(ip); ok {
			return endpointAddr{ip: a.Unmap()}
		}
	}
	return endpointAddr{raw: s}
}

package cluster

import (
	"net"
	"testing"
)

func TestAllowedTestHost(t *testing.T) {
	ipnet := func(cidr string) net.Addr {
		ip, n, err := net.ParseCIDR(cidr)
		if err != nil {
			t.Fatal(err)
		}
		n.IP = ip
		return n
	}
	// This machine: loopback, a real LAN address, and a test's veth end.
	own := []net.Addr{ipnet("127.0.0.1/8"), ipnet("10.132.0.1/16"), ipnet("198.18.7.1/24"), ipnet("::1/128")}
	for _, tc := range []struct {
		target string
		want   bool
	}{
		{"198.18.7.2:10249", true},           // a test host in the namespace
		{"198.18.7.200:31000", true},         // another one
		{"198.18.7.1:10249", false},          // this machine's own end of the veth
		{"198.18.8.2:10249", false},          // the test range, but no namespace there
		{"198.19.255.1:10249", false},        // likewise
		{"10.132.0.11:10249", false},         // a scenario Node on a subnet this machine is on
		{"192.168.56.10:6443", false},        // a scenario's address
		{"127.0.0.1:10249", false},           // loopback is not a test host
		{"[::ffff:198.18.7.2]:10249", false}, // IPv6 forms are not test hosts
		{"node-a:10249", false},              // names are never resolved
		{"198.18.7.2", false},                // no port
		{"", false},
	} {
		if got := allowedTestHost(tc.target, own); got != tc.want {
			t.Errorf("allowedTestHost(%q) = %v, want %v", tc.target, got, tc.want)
		}
	}
	if allowedTestHost("198.18.7.2:10249", nil) {
		t.Error("with no own addresses known, a test host was allowed")
	}
}

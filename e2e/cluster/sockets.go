package cluster

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// Socket is one TCP or UDP socket a process has open.
type Socket struct {
	Proto         string // tcp, tcp6, udp, udp6
	Local, Remote net.TCPAddr
	// Listening is a TCP socket in LISTEN state, or a UDP socket that is
	// bound and not connected.
	Listening bool
}

// Sockets lists pid's TCP and UDP sockets from /proc: the kernel's socket
// tables of pid's network namespace, kept to the inodes pid holds open.
func Sockets(pid int) ([]Socket, error) {
	inodes, err := socketInodes(pid)
	if err != nil {
		return nil, err
	}
	var out []Socket
	for _, proto := range []string{"tcp", "tcp6", "udp", "udp6"} {
		f, err := os.Open(fmt.Sprintf("/proc/%d/net/%s", pid, proto))
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || !inodes[fields[9]] {
				continue
			}
			local, err1 := procAddr(fields[1])
			remote, err2 := procAddr(fields[2])
			if err1 != nil || err2 != nil {
				f.Close()
				return nil, fmt.Errorf("/proc/%d/net/%s: %q", pid, proto, sc.Text())
			}
			// TCP_LISTEN is 0A; an unconnected UDP socket shows as 07 (closed).
			listening := strings.HasPrefix(proto, "tcp") && fields[3] == "0A" || strings.HasPrefix(proto, "udp") && fields[3] == "07"
			out = append(out, Socket{Proto: proto, Local: local, Remote: remote, Listening: listening})
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func socketInodes(pid int) (map[string]bool, error) {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, e := range entries {
		link, err := os.Readlink(dir + "/" + e.Name())
		if inode, ok := strings.CutPrefix(link, "socket:["); err == nil && ok {
			out[strings.TrimSuffix(inode, "]")] = true
		}
	}
	return out, nil
}

// procAddr parses "0100007F:1F90": the address as the kernel prints it,
// each 32-bit word in host (little-endian) order, then the port in hex.
func procAddr(s string) (net.TCPAddr, error) {
	addr, port, ok := strings.Cut(s, ":")
	raw, err := hex.DecodeString(addr)
	if !ok || err != nil || len(raw)%4 != 0 {
		return net.TCPAddr{}, fmt.Errorf("bad address %q", s)
	}
	for i := 0; i+4 <= len(raw); i += 4 {
		raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
	}
	p, err := strconv.ParseUint(port, 16, 16)
	if err != nil {
		return net.TCPAddr{}, err
	}
	return net.TCPAddr{IP: net.IP(raw), Port: int(p)}, nil
}

// PeakRSS is pid's peak resident set size so far (VmHWM), in bytes.
func PeakRSS(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no VmHWM", pid)
}

package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/ktraffic/ktraffic/model"
)

// clientFlags state the client side whose connections predict and diff
// spread into per-pod load bands: kube-proxy balances connections, so a
// few long-lived ones load pods in lumps.
type clientFlags struct {
	clients     int
	connections int
	profile     string
}

func (c *clientFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.IntVar(&c.clients, "clients", 0, "client instances (addresses) connecting; with it, the output shows each pod's expected load band")
	fl.IntVar(&c.connections, "connections", 0, "connections each client keeps (default: the profile's: 1 for http2, grpc and browser, 10 for http11-pool)")
	fl.StringVar(&c.profile, "client-profile", "", "how clients hold connections: "+strings.Join(model.ClientProfiles, ", ")+" (default http2)")
}

// apply adds the client side to req when any of the flags is given; a
// profile or a connection count alone means one client.
func (c *clientFlags) apply(req *model.Request) error {
	if c.clients == 0 && c.connections == 0 && c.profile == "" {
		return nil
	}
	clients := c.clients
	if clients == 0 {
		clients = 1
	}
	side, err := model.ParseClientSide(c.profile, clients, c.connections)
	if err != nil {
		return usageError{err}
	}
	req.Clients = &side
	return nil
}

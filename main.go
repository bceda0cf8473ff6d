// Command ktraffic predicts how a Kubernetes Service spreads traffic, from
// the load balancer or NodePort to nodes to pods, with kube-proxy's rules.
package main

import (
	"os"

	"github.com/ktraffic/ktraffic/internal/cli"
)

func main() { os.Exit(cli.Main()) }

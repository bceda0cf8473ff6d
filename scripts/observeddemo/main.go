// Command observeddemo runs a real Prometheus on loopback (Debian's
// prometheus binary) scraping counters that grow 55/22.5/22.5 requests
// per second on the kiada demo's three pods, under every metric the
// --observed presets read. It prints Prometheus's URL once the rates are
// there and runs until interrupted; scripts/screenshots.sh uses it.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/ktraffic/ktraffic/internal/promtest"
)

func main() {
	srv, err := promtest.Start(promtest.Kiada())
	if err != nil {
		fmt.Fprintln(os.Stderr, "observeddemo:", err)
		os.Exit(1)
	}
	defer srv.Stop()
	fmt.Println(srv.URL)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
}

package e2e

import (
	"os"
	"testing"

	"github.com/ktraffic/ktraffic/e2e/netns"
)

func TestMain(m *testing.M) {
	// The probe test starts this binary again inside its network
	// namespace to serve as the test hosts' health servers.
	netns.MaybeServe()
	os.Exit(m.Run())
}

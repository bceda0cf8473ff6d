package k8s

import (
	"context"
	"strings"
	"sync"

	"k8s.io/client-go/rest"

	// Every credential kubectl takes: exec plugins, token files and client
	// certificates are client-go's own; this adds the auth-provider
	// stanzas older kubeconfigs still carry (oidc, and the azure and gcp
	// stubs that say where those went).
	_ "k8s.io/client-go/plugin/pkg/client/auth"

	"github.com/ktraffic/ktraffic/model"
)

// removedProviders are the auth providers client-go dropped for exec
// plugins, and what replaces each. client-go's own stubs say it in three
// lines with a URL; a kubectl user needs the one line of what to do.
var removedProviders = map[string]string{
	"gcp":   `the kubeconfig's user has "auth-provider: gcp", which client-go removed: install gke-gcloud-auth-plugin and run "gcloud container clusters get-credentials" again, which writes an exec plugin instead`,
	"azure": `the kubeconfig's user has "auth-provider: azure", which client-go removed: install kubelogin and run "kubelogin convert-kubeconfig", which writes an exec plugin instead`,
}

// checkAuthProvider refuses a removed auth provider before any client is
// built, with what to do instead.
func checkAuthProvider(cfg *rest.Config) error {
	if cfg.AuthProvider == nil {
		return nil
	}
	if msg, ok := removedProviders[cfg.AuthProvider.Name]; ok {
		return newClusterError(nil, "%s", msg)
	}
	return nil
}

// Warnings passes each distinct warning the API server sends (a
// deprecated API, a field it ignores) to a function once: kubectl prints
// them, and dropping them hides what the cluster is telling the user,
// while repeating them would bury the output under a watch's relists.
type Warnings struct {
	mu   sync.Mutex
	seen map[string]bool
	say  func(string)
}

// NewWarnings hands warnings to say, once each; say must be safe to call
// from any goroutine.
func NewWarnings(say func(string)) *Warnings {
	return &Warnings{seen: map[string]bool{}, say: say}
}

// HandleWarningHeaderWithContext implements rest.WarningHandlerWithContext.
func (w *Warnings) HandleWarningHeaderWithContext(_ context.Context, code int, _ string, text string) {
	if code != 299 || strings.TrimSpace(text) == "" {
		return
	}
	text = model.Printable(text)
	w.mu.Lock()
	first := !w.seen[text]
	w.seen[text] = true
	w.mu.Unlock()
	if first {
		w.say(text)
	}
}

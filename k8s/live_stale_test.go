package k8s

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ktraffic/ktraffic/model"
)

// startOverHTTP starts a live source on api through a kubeconfig in a
// temp dir, with the bounds shortened for a test.
func startOverHTTP(t *testing.T, api *apiServer, silence time.Duration) *Live {
	t.Helper()
	srv := httptest.NewTLSServer(api)
	t.Cleanup(srv.Close)
	isolate(t, writeFile(t, t.TempDir(), "config", kubeconfig(srv.URL, "    insecure-skip-tls-verify: true")))
	flags := NewConfigFlags()
	*flags.Namespace = "shop"
	l, err := NewLive(flags, Scope{})
	if err != nil {
		t.Fatal(err)
	}
	l.silence, l.listTimeout, l.debounce = silence, silence/2, 5*time.Millisecond
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(func() {
		cancel()
		<-l.done
	})
	if err := l.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestLiveSilentServerGoesStaleAndRecovers: a server, or a proxy in front
// of it, that keeps watches open and stops sending anything — bookmarks
// included — makes the snapshot stale within the silence allowed, dated
// from when the server was last heard; once it answers again the source
// relists by itself, picks up what changed meanwhile, and is live again.
func TestLiveSilentServerGoesStaleAndRecovers(t *testing.T) {
	const silence = time.Second
	api := newAPIServer()
	api.bookmarkEvery = 20 * time.Millisecond
	l := startOverHTTP(t, api, silence)

	// Bookmarks keep a quiet cluster live: several silences' worth of
	// nothing but bookmarks never makes it stale.
	for range 3 {
		time.Sleep(silence)
		if s := l.Snapshot(); !s.StaleSince.IsZero() {
			t.Fatalf("stale while bookmarks arrive: %v %q", s.StaleSince, s.Warnings)
		}
	}

	hungAt := time.Now()
	api.hung.Store(true)
	const pods = "/api/v1/namespaces/shop/pods"
	api.setList(pods, &corev1.PodList{
		TypeMeta: metav1.TypeMeta{Kind: "PodList", APIVersion: "v1"}, ListMeta: metav1.ListMeta{ResourceVersion: "11"},
		Items: []corev1.Pod{*fixturePod("shop", "web-aaaaa", "node-a", true), *fixturePod("shop", "web-bbbbb", "node-b", true)},
	})
	s := awaitSnapshot(t, l, "stale", func(s *model.Snapshot) bool { return !s.StaleSince.IsZero() })
	noticed := time.Since(hungAt)
	if s.StaleSince.After(hungAt) || s.StaleSince.Before(hungAt.Add(-silence)) {
		t.Errorf("stale since %v, want the last bookmark before the hang at %v", s.StaleSince, hungAt)
	}
	if !slices.ContainsFunc(s.Warnings, func(w string) bool { return strings.Contains(w, "sent nothing on the watch") }) {
		t.Errorf("warnings do not say the watch went silent: %q", s.Warnings)
	}
	t.Logf("stale noticed %v after the hang (silence allowed %v)", noticed, silence)

	api.hung.Store(false)
	s = awaitSnapshot(t, l, "live again with the new pod", func(s *model.Snapshot) bool {
		return s.StaleSince.IsZero() && slices.Contains(podKeys(s), "shop/web-bbbbb")
	})
	if len(s.Warnings) != 0 {
		t.Errorf("warnings after recovery: %q", s.Warnings)
	}
}

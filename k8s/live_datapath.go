package k8s

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"github.com/ktraffic/ktraffic/model"
)

// The live source reads the datapath once, while the informers load:
// kube-system's ConfigMaps and DaemonSets that configure it (datapath.go),
// then, unless Cilium replaces kube-proxy, each node's kube-proxy
// through the API server's node proxy at :10249/proxyMode. That port is
// kube-proxy's metrics server, bound to 127.0.0.1 by default, so on most
// clusters the node proxy cannot reach it; the first failures end the
// attempt with a note. Nothing here is an error: what is not read leaves
// the datapath unknown, and predictions say what they assumed.

// Bounds of the node-proxy reading.
const (
	proxyModePort     = 10249
	proxyModeNodes    = 20
	proxyModeFailures = 3
	proxyModeTimeout  = 3 * time.Second
)

// readDatapath reads the datapath in the background; its answer arrives
// on the channel, once, whatever happens.
func (l *Live) readDatapath(ctx context.Context) <-chan model.Datapath {
	out := make(chan model.Datapath, 1)
	go func() {
		var dp model.Datapath
		defer func() { out <- dp }()
		defer l.recoverPanic("reading the datapath")
		ctx, cancel := context.WithTimeout(ctx, max(l.timeout, 5*time.Second))
		defer cancel()
		dp = l.datapathObjects(ctx).datapath()
	}()
	return out
}

func (l *Live) datapathObjects(ctx context.Context) *datapathObjects {
	d := &datapathObjects{}
	var denied []string
	for _, name := range sortedNames(datapathConfigMaps) {
		cm, err := l.client.CoreV1().ConfigMaps(systemNamespace).Get(ctx, name, metav1.GetOptions{})
		switch {
		case err == nil:
			d.addConfigMap(cm)
		case apierrors.IsForbidden(err):
			denied = appendOnce(denied, "configmaps")
		}
	}
	for _, name := range sortedNames(datapathDaemonSets) {
		ds, err := l.client.AppsV1().DaemonSets(systemNamespace).Get(ctx, name, metav1.GetOptions{})
		switch {
		case err == nil:
			d.addDaemonSet(ds)
		case apierrors.IsForbidden(err):
			denied = appendOnce(denied, "daemonsets")
		}
	}
	if len(denied) > 0 {
		d.notes = append(d.notes, "cannot get "+strings.Join(denied, " or ")+" in kube-system (forbidden)")
	}
	if d.datapath().Proxy == model.ProxyCilium {
		return d
	}
	d.nodeModes, d.notes = l.proxyModes(ctx, d.notes)
	return d
}

// proxyModes asks each node's kube-proxy for its mode through the API
// server, giving up after the first failures when none answered.
func (l *Live) proxyModes(ctx context.Context, notes []string) (map[string]string, []string) {
	rc, ok := l.client.CoreV1().RESTClient().(*rest.RESTClient)
	if !ok || rc == nil || !l.nodesKnown {
		return nil, notes
	}
	nodes, err := l.client.CoreV1().Nodes().List(ctx, metav1.ListOptions{Limit: proxyModeNodes})
	if err != nil {
		return nil, notes
	}
	// All the asking is bounded together: a node proxy that hangs must
	// not hold the first snapshot for long.
	ctx, cancel := context.WithTimeout(ctx, proxyModeTimeout)
	defer cancel()
	modes := map[string]string{}
	failures := 0
	var last error
	for _, n := range nodes.Items {
		if (len(modes) == 0 && failures >= proxyModeFailures) || ctx.Err() != nil {
			break
		}
		body, err := rc.Get().Resource("nodes").Name(n.Name + ":" + strconv.Itoa(proxyModePort)).SubResource("proxy").Suffix("proxyMode").Do(ctx).Raw()
		mode := strings.ToLower(strings.TrimSpace(string(body)))
		switch {
		case err != nil:
			failures++
			last = err
		case slices.Contains([]string{model.ModeIPTables, model.ModeNFTables, model.ModeIPVS, model.ModeKernelspace}, mode):
			modes[n.Name] = mode
		default:
			failures++
		}
	}
	if len(modes) == 0 {
		why := "kube-proxy's :10249/proxyMode did not answer through the API server's node proxy (it listens on 127.0.0.1 by default)"
		if apierrors.IsForbidden(last) {
			why = "reading kube-proxy's /proxyMode needs get on nodes/proxy"
		}
		return nil, append(notes, why)
	}
	return modes, notes
}

func sortedNames(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func appendOnce(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

package k8s

import (
	"errors"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/ktraffic/ktraffic/model"
)

// defaultRequestTimeout bounds the first contact with the API server when
// --request-timeout is not given, so a dead address fails in seconds
// instead of hanging on the TCP connect.
const defaultRequestTimeout = 10 * time.Second

// connection is what the live source takes from kubectl's flags.
type connection struct {
	// config is for the informers. It has no client-wide timeout: that
	// would cut every watch after --request-timeout.
	config *rest.Config
	// timeout bounds the first contact (the permission probe).
	timeout   time.Duration
	namespace string // "" = all namespaces
	source    string // "context:NAME", "server:URL" or "in-cluster"
	host      string // redacted, for messages
}

// connect resolves the flags as kubectl does: --kubeconfig, then KUBECONFIG
// (several files merged), then ~/.kube/config, with --context, --cluster,
// --user, token, TLS and impersonation overrides; in a pod with no
// kubeconfig, the in-cluster service account. Nothing here touches the
// network.
func connect(flags *ConfigFlags, scope Scope) (*connection, error) {
	loader := flags.ToRawKubeConfigLoader()
	cfg, err := flags.ToRESTConfig()
	if err != nil {
		var ce *clusterError
		if errors.As(err, &ce) {
			return nil, err
		}
		return nil, explainConfig(err, loader)
	}
	raw, err := loader.RawConfig()
	if err != nil {
		return nil, explainConfig(err, loader)
	}
	source, err := sourceName(flags, raw, cfg)
	if err != nil {
		return nil, err
	}
	ns, err := resolveNamespace(loader, scope)
	if err != nil {
		return nil, explainConfig(err, loader)
	}

	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = defaultRequestTimeout
	}
	cfg = rest.CopyConfig(cfg)
	cfg.Timeout = 0
	// Protobuf decodes a 50,000-pod list several times faster than JSON.
	cfg.ContentType = "application/vnd.kubernetes.protobuf"
	cfg.AcceptContentTypes = "application/vnd.kubernetes.protobuf,application/json"
	cfg.UserAgent = "ktraffic"
	// Room for four lists and four watches at once, and relists after a
	// drop, without waiting on the client-side limiter.
	cfg.QPS, cfg.Burst = 20, 40

	return &connection{config: cfg, timeout: timeout, namespace: ns, source: source, host: redactHost(cfg.Host)}, nil
}

// resolveNamespace applies kubectl's rule: -A means every namespace;
// otherwise -n, then the context's namespace, then "default" (in a pod,
// the service account's namespace).
func resolveNamespace(loader clientcmd.ClientConfig, scope Scope) (string, error) {
	if scope.AllNamespaces {
		return "", nil
	}
	if scope.Namespace != "" {
		return scope.Namespace, nil
	}
	ns, _, err := loader.Namespace()
	return ns, err
}

// sourceName names the cluster for headers. It also catches the case
// client-go papers over: with no kubeconfig at all it would quietly aim at
// http://localhost:8080.
func sourceName(flags *ConfigFlags, raw clientcmdapi.Config, cfg *rest.Config) (string, error) {
	ctx := raw.CurrentContext
	if flags.Context != nil && *flags.Context != "" {
		ctx = *flags.Context
	}
	switch {
	case ctx != "":
		return "context:" + ctx, nil
	case flags.APIServer != nil && *flags.APIServer != "":
		return "server:" + redactHost(cfg.Host), nil
	case len(raw.Clusters) == 0 && inCluster():
		return "in-cluster", nil
	case len(raw.Contexts) > 0:
		return "", newClusterError(nil, "the kubeconfig has no current context: pass --context (one of: %s)", contextNames(raw))
	}
	return "", newClusterError(nil, "no cluster configured: no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a pod; pass --kubeconfig or --server, or try --demo")
}

func inCluster() bool {
	_, err := rest.InClusterConfig()
	return err == nil
}

var (
	loadErrRE   = regexp.MustCompile(`error loading config file "([^"]*)"`)
	yamlLineRE  = regexp.MustCompile(`yaml: line (\d+)`)
	contextRE   = regexp.MustCompile(`context "([^"]*)" does not exist|context was not found for specified context: (\S*)`)
	jsonFieldRE = regexp.MustCompile(`json: cannot unmarshal \w+ into Go struct field ([\w.\[\]]+)`)
)

// explainConfig turns kubeconfig loading errors into one line. Parser
// errors can quote the offending value, which may be a token, so only the
// file, line and field names are kept from them.
func explainConfig(err error, loader clientcmd.ClientConfig) error {
	msg := err.Error()
	var pathErr *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist) && errors.As(err, &pathErr):
		return newClusterError(err, "kubeconfig %q does not exist", pathErr.Path)
	case errors.Is(err, fs.ErrPermission) && errors.As(err, &pathErr):
		return newClusterError(err, "cannot read kubeconfig %q: permission denied", pathErr.Path)
	case loadErrRE.MatchString(msg):
		file := loadErrRE.FindStringSubmatch(msg)[1]
		why := "it is not a valid kubeconfig"
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			why = "invalid YAML at line " + m[1]
		} else if m := jsonFieldRE.FindStringSubmatch(msg); m != nil {
			why = "field " + m[1] + " has the wrong type"
		}
		return newClusterError(err, "cannot read kubeconfig %q: %s", file, why)
	case contextRE.MatchString(msg):
		m := contextRE.FindStringSubmatch(msg)
		name := m[1] + m[2]
		if raw, rerr := loader.RawConfig(); rerr == nil && len(raw.Contexts) > 0 {
			return newClusterError(&model.UnknownNameError{Err: err}, "context %q is not in the kubeconfig (contexts: %s)", name, contextNames(raw))
		}
		return newClusterError(&model.UnknownNameError{Err: err}, "context %q is not in the kubeconfig, which has no contexts", name)
	case strings.HasPrefix(msg, "Invalid timeout value"):
		return newClusterError(err, "--request-timeout wants whole seconds or a duration like 5s or 2m")
	case clientcmd.IsEmptyConfig(err):
		return newClusterError(err, "no cluster configured: no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a pod; pass --kubeconfig or --server, or try --demo")
	}
	return newClusterError(err, "kubeconfig: %s", msg)
}

func contextNames(raw clientcmdapi.Config) string {
	names := make([]string, 0, len(raw.Contexts))
	for n := range raw.Contexts {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

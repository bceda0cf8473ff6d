package k8s

import (
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/pflag"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/util/homedir"
)

// ConfigFlags are kubectl's connection flags (--kubeconfig, --context,
// -n, --server, credentials, TLS, impersonation, --request-timeout),
// resolved with client-go's clientcmd exactly as kubectl resolves them.
//
// It is the kubeconfig half of k8s.io/cli-runtime's
// genericclioptions.ConfigFlags (Apache-2.0), kept with the same names,
// flags and help. That package also holds kubectl's printers and its
// -f/-k resource builder: importing it linked kustomize and, through
// kustomize's Go plugin loader, the std plugin package, which makes the
// linker keep every exported method of every package, and text/template's
// printers did the same. ktraffic needs none of that, and the binary was
// 116 MB because of it.
type ConfigFlags struct {
	CacheDir   *string
	KubeConfig *string

	ClusterName          *string
	AuthInfoName         *string
	Context              *string
	Namespace            *string
	APIServer            *string
	TLSServerName        *string
	Insecure             *bool
	CertFile             *string
	KeyFile              *string
	CAFile               *string
	BearerToken          *string
	Impersonate          *string
	ImpersonateUID       *string
	ImpersonateGroup     *[]string
	ImpersonateUserExtra *[]string
	Timeout              *string
	DisableCompression   *bool
	ProxyURL             *string

	// Warnings, when set, hears the API server's warnings; nil drops
	// them (the TUI without a place to show them).
	Warnings rest.WarningHandlerWithContext

	once   sync.Once
	loader clientcmd.ClientConfig
}

// NewConfigFlags returns the flags with kubectl's defaults.
func NewConfigFlags() *ConfigFlags {
	s := func(v string) *string { return &v }
	b := func(v bool) *bool { return &v }
	return &ConfigFlags{
		Insecure:             b(false),
		Timeout:              s("0"),
		KubeConfig:           s(""),
		CacheDir:             s(defaultCacheDir()),
		ClusterName:          s(""),
		AuthInfoName:         s(""),
		Context:              s(""),
		Namespace:            s(""),
		APIServer:            s(""),
		TLSServerName:        s(""),
		CertFile:             s(""),
		KeyFile:              s(""),
		CAFile:               s(""),
		BearerToken:          s(""),
		Impersonate:          s(""),
		ImpersonateUID:       s(""),
		ImpersonateGroup:     &[]string{},
		ImpersonateUserExtra: &[]string{},
		DisableCompression:   b(false),
		ProxyURL:             s(""),
	}
}

func defaultCacheDir() string {
	if dir := os.Getenv("KUBECACHEDIR"); dir != "" {
		return dir
	}
	return filepath.Join(homedir.HomeDir(), ".kube", "cache")
}

// ToRESTConfig resolves the flags into a client configuration, with
// every credential kubectl supports, proxy-url, and the warning handler.
func (f *ConfigFlags) ToRESTConfig() (*rest.Config, error) {
	cfg, err := f.ToRawKubeConfigLoader().ClientConfig()
	if err != nil {
		return nil, err
	}
	if err := checkAuthProvider(cfg); err != nil {
		return nil, err
	}
	cfg.WarningHandlerWithContext = rest.NoWarnings{}
	if f.Warnings != nil {
		cfg.WarningHandlerWithContext = f.Warnings
	}
	return cfg, nil
}

// ToRawKubeConfigLoader returns the kubeconfig loader with the flags
// applied as overrides; built once, after the flags are parsed.
func (f *ConfigFlags) ToRawKubeConfigLoader() clientcmd.ClientConfig {
	f.once.Do(func() { f.loader = f.newLoader() })
	return f.loader
}

func (f *ConfigFlags) newLoader() clientcmd.ClientConfig {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.DefaultClientConfig = &clientcmd.DefaultClientConfig
	if f.KubeConfig != nil {
		rules.ExplicitPath = *f.KubeConfig
	}
	o := &clientcmd.ConfigOverrides{ClusterDefaults: clientcmd.ClusterDefaults}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	if f.CertFile != nil {
		o.AuthInfo.ClientCertificate, o.AuthInfo.ClientCertificateData = *f.CertFile, nil
	}
	if f.KeyFile != nil {
		o.AuthInfo.ClientKey, o.AuthInfo.ClientKeyData = *f.KeyFile, nil
	}
	if f.BearerToken != nil {
		o.AuthInfo.Token, o.AuthInfo.TokenFile = *f.BearerToken, ""
	}
	set(&o.AuthInfo.Impersonate, f.Impersonate)
	set(&o.AuthInfo.ImpersonateUID, f.ImpersonateUID)
	if f.ImpersonateGroup != nil {
		o.AuthInfo.ImpersonateGroups = *f.ImpersonateGroup
	}
	if f.ImpersonateUserExtra != nil && len(*f.ImpersonateUserExtra) > 0 {
		extra := map[string][]string{}
		for _, kv := range *f.ImpersonateUserExtra {
			if k, v, ok := strings.Cut(kv, "="); ok {
				extra[k] = append(extra[k], v)
			}
		}
		o.AuthInfo.ImpersonateUserExtra = extra
	}
	set(&o.ClusterInfo.Server, f.APIServer)
	set(&o.ClusterInfo.TLSServerName, f.TLSServerName)
	set(&o.ClusterInfo.CertificateAuthority, f.CAFile)
	if f.Insecure != nil {
		o.ClusterInfo.InsecureSkipTLSVerify = *f.Insecure
	}
	if f.DisableCompression != nil {
		o.ClusterInfo.DisableCompression = *f.DisableCompression
	}
	set(&o.ClusterInfo.ProxyURL, f.ProxyURL)
	set(&o.CurrentContext, f.Context)
	set(&o.Context.Cluster, f.ClusterName)
	set(&o.Context.AuthInfo, f.AuthInfoName)
	set(&o.Context.Namespace, f.Namespace)
	set(&o.Timeout, f.Timeout)
	return clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, o)
}

// AddFlags registers the flags, with kubectl's names and help.
func (f *ConfigFlags) AddFlags(flags *pflag.FlagSet) {
	str := func(p *string, name, usage string) {
		if p != nil {
			flags.StringVar(p, name, *p, usage)
		}
	}
	str(f.KubeConfig, "kubeconfig", "Path to the kubeconfig file to use for CLI requests.")
	str(f.CacheDir, "cache-dir", "Default cache directory")
	str(f.CertFile, "client-certificate", "Path to a client certificate file for TLS")
	str(f.KeyFile, "client-key", "Path to a client key file for TLS")
	str(f.BearerToken, "token", "Bearer token for authentication to the API server")
	str(f.Impersonate, "as", "Username to impersonate for the operation. User could be a regular user or a service account in a namespace.")
	str(f.ImpersonateUID, "as-uid", "UID to impersonate for the operation.")
	if f.ImpersonateGroup != nil {
		flags.StringArrayVar(f.ImpersonateGroup, "as-group", *f.ImpersonateGroup, "Group to impersonate for the operation, this flag can be repeated to specify multiple groups.")
	}
	if f.ImpersonateUserExtra != nil {
		flags.StringArrayVar(f.ImpersonateUserExtra, "as-user-extra", *f.ImpersonateUserExtra, "User extras to impersonate for the operation, this flag can be repeated to specify multiple values for the same key.")
	}
	str(f.ClusterName, "cluster", "The name of the kubeconfig cluster to use")
	str(f.AuthInfoName, "user", "The name of the kubeconfig user to use")
	if f.Namespace != nil {
		flags.StringVarP(f.Namespace, "namespace", "n", *f.Namespace, "If present, the namespace scope for this CLI request")
	}
	str(f.Context, "context", "The name of the kubeconfig context to use")
	if f.APIServer != nil {
		flags.StringVarP(f.APIServer, "server", "s", *f.APIServer, "The address and port of the Kubernetes API server")
	}
	str(f.TLSServerName, "tls-server-name", "Server name to use for server certificate validation. If it is not provided, the hostname used to contact the server is used")
	if f.Insecure != nil {
		flags.BoolVar(f.Insecure, "insecure-skip-tls-verify", *f.Insecure, "If true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure")
	}
	str(f.CAFile, "certificate-authority", "Path to a cert file for the certificate authority")
	str(f.Timeout, "request-timeout", "The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests.")
	if f.DisableCompression != nil {
		flags.BoolVar(f.DisableCompression, "disable-compression", *f.DisableCompression, "If true, opt-out of response compression for all requests to the server")
	}
	str(f.ProxyURL, "proxy-url", "Proxy URL to use for requests to the API server")
}

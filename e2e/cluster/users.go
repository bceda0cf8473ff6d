package cluster

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// User is one identity in the API server's static token file.
type User struct {
	Name   string
	Groups []string
	token  string
}

// The users every cluster has. Only admin and ktraffic are cluster
// admins; the others have no permissions until a test binds roles to them.
const (
	// AdminUser is the harness's and the tests' own identity.
	AdminUser = "admin"
	// KtrafficUser is the identity ktraffic runs as when a test wants it
	// to see everything: a separate name, so the audit log tells
	// ktraffic's requests apart from the test's.
	KtrafficUser = "ktraffic"
	// ViewerUser, ReaderUser and NobodyUser start without permissions.
	ViewerUser = "viewer"
	ReaderUser = "reader"
	NobodyUser = "nobody"
)

// ContextName is the current context of every kubeconfig the harness
// writes; ktraffic names a live source "context:" + ContextName.
const ContextName = "ktraffic-e2e"

func defaultUsers() []User {
	return []User{
		{Name: AdminUser, Groups: []string{"system:masters"}},
		{Name: KtrafficUser, Groups: []string{"system:masters"}},
		{Name: ViewerUser},
		{Name: ReaderUser},
		{Name: NobodyUser},
	}
}

// writeUsers writes the token file and one kubeconfig per user.
func (c *Cluster) writeUsers() error {
	var csv strings.Builder
	for i := range c.users {
		u := &c.users[i]
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		u.token = hex.EncodeToString(b)
		fmt.Fprintf(&csv, "%s,%s,%s,%q\n", u.token, u.Name, u.Name, strings.Join(u.Groups, ","))
	}
	if err := os.WriteFile(filepath.Join(c.Dir, "tokens.csv"), []byte(csv.String()), 0o600); err != nil {
		return err
	}
	for _, u := range c.users {
		if err := c.writeKubeconfig(u); err != nil {
			return err
		}
	}
	return nil
}

func (c *Cluster) writeKubeconfig(u User) error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters[ContextName] = &clientcmdapi.Cluster{Server: c.Server, CertificateAuthority: c.CAFile}
	cfg.AuthInfos[u.Name] = &clientcmdapi.AuthInfo{Token: u.token}
	cfg.Contexts[ContextName] = &clientcmdapi.Context{Cluster: ContextName, AuthInfo: u.Name, Namespace: "default"}
	cfg.CurrentContext = ContextName
	return clientcmd.WriteToFile(*cfg, c.Kubeconfig(u.Name))
}

// Kubeconfig is the path of user's kubeconfig (context ContextName,
// namespace default).
func (c *Cluster) Kubeconfig(user string) string {
	return filepath.Join(c.Dir, "kubeconfig-"+user)
}

// Token is user's bearer token.
func (c *Cluster) Token(user string) string {
	if t := c.token(user); t != nil {
		return *t
	}
	return ""
}

func (c *Cluster) token(user string) *string {
	for _, u := range c.users {
		if u.Name == user {
			return &u.token
		}
	}
	return nil
}

// Config is a client config for user, without client-side rate limits
// (tests load tens of thousands of objects).
func (c *Cluster) Config(user string) *rest.Config {
	return &rest.Config{
		Host:            c.Server,
		BearerToken:     c.Token(user),
		TLSClientConfig: rest.TLSClientConfig{CAFile: c.CAFile},
		UserAgent:       "ktraffic-e2e",
		QPS:             -1,
	}
}

// Client is a clientset acting as user.
func (c *Cluster) Client(user string) (kubernetes.Interface, error) {
	return kubernetes.NewForConfig(c.Config(user))
}

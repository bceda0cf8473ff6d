package k8s

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// NameKind is a kind of object ListNames lists.
type NameKind int

// What shell completion asks a cluster for.
const (
	NamesServices NameKind = iota
	NamesNamespaces
	NamesNodes
	NamesPods
)

// Name is one object's name, with a note a completion shows beside it.
type Name struct {
	Namespace, Name, Note string
}

// namesTimeout bounds a completion's request: a shell waits on it.
const namesTimeout = 3 * time.Second

// namesLimit bounds what one completion lists: nobody reads more.
const namesLimit = 500

// ListNames lists the names of one kind of object in namespace ("" = all,
// ignored for nodes and namespaces), for shell completion: one List call
// with a short timeout and a limit, never a watch or a cache.
func ListNames(ctx context.Context, flags *ConfigFlags, kind NameKind, namespace string) ([]Name, error) {
	cfg, err := flags.ToRESTConfig()
	if err != nil {
		return nil, err
	}
	cfg.Timeout = namesTimeout
	cfg.UserAgent = "ktraffic"
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, namesTimeout)
	defer cancel()
	opts := metav1.ListOptions{Limit: namesLimit}
	var out []Name
	switch kind {
	case NamesServices:
		l, err := cs.CoreV1().Services(namespace).List(ctx, opts)
		if err != nil {
			return nil, err
		}
		for _, s := range l.Items {
			out = append(out, Name{Namespace: s.Namespace, Name: s.Name, Note: string(s.Spec.Type)})
		}
	case NamesNamespaces:
		l, err := cs.CoreV1().Namespaces().List(ctx, opts)
		if err != nil {
			return nil, err
		}
		for _, n := range l.Items {
			out = append(out, Name{Name: n.Name})
		}
	case NamesNodes:
		l, err := cs.CoreV1().Nodes().List(ctx, opts)
		if err != nil {
			return nil, err
		}
		for _, n := range l.Items {
			out = append(out, Name{Name: n.Name, Note: n.Labels[corev1.LabelTopologyZone]})
		}
	case NamesPods:
		l, err := cs.CoreV1().Pods(namespace).List(ctx, opts)
		if err != nil {
			return nil, err
		}
		for _, p := range l.Items {
			out = append(out, Name{Namespace: p.Namespace, Name: p.Name, Note: p.Spec.NodeName})
		}
	default:
		return nil, fmt.Errorf("unknown kind %d", kind)
	}
	// Names reach a terminal: a cluster may not send it escapes.
	for i := range out {
		out[i] = Name{Namespace: printable(out[i].Namespace), Name: printable(out[i].Name), Note: printable(out[i].Note)}
	}
	return out, nil
}

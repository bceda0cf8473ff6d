package cluster

import (
	"os"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestStartStop(t *testing.T) {
	c, err := Start(t.Context(), Options{Dir: t.TempDir(), Controllers: DefaultControllers, Log: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	cs, err := c.Client(AdminUser)
	if err != nil {
		t.Fatal(err)
	}
	ns, err := cs.CoreV1().Namespaces().List(t.Context(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(len(ns.Items))
}

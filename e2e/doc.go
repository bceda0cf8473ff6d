// Package e2e holds ktraffic's end-to-end tests: the real binary and its
// live source against a real control plane (etcd, kube-apiserver,
// kube-controller-manager) started by package cluster on 127.0.0.1.
package e2e

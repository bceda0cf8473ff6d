package main

import (
	"strings"

	"github.com/ktraffic/ktraffic/k8s"
	"github.com/ktraffic/ktraffic/model"
)

func (a *app) loadDemo() (*model.Snapshot, error) {
	if a.demo == demoList {
		return nil, usagef("--demo needs a scenario name here: %s", strings.Join(k8s.DemoNames(), ", "))
	}
	return k8s.LoadDemo(a.demo)
}

func (a *app) loadFiles() (*model.Snapshot, error) {
	return k8s.LoadFiles(a.files, a.stdin)
}

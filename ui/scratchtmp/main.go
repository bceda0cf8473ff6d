package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/charmbracelet/x/ansi"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/flow"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

func main() {
	var snap *model.Snapshot
	switch os.Args[1] {
	case "big":
		snap = uitest.Build(uitest.Spec{Name: "big", Type: "LoadBalancer", Policy: os.Args[2], Zones: []string{"eu-1a", "eu-1b", "eu-1c"}, Nodes: 60, Pods: []int{5}})
	case "mid":
		snap = uitest.Build(uitest.Spec{Name: "mid", Type: "LoadBalancer", Policy: os.Args[2], Zones: []string{"eu-1a", "eu-1b"}, Nodes: 5, Pods: []int{2, 1, 0}})
	default:
		snap = uitest.Kiada(os.Args[2])
	}
	w, _ := strconv.Atoi(os.Args[3])
	src, _ := model.ParseSource(os.Args[4])
	p, err := model.Predict(snap, model.Request{Service: snap.Services[0].Key(), Source: src})
	if err != nil {
		panic(err)
	}
	st := themes.NewStyles(themes.Theme{Name: "mono"})
	for _, l := range flow.Render(p, st, flow.Options{Width: w, Entry: []string{"203.0.113.10"}}) {
		fmt.Println(ansi.Strip(l))
	}
}

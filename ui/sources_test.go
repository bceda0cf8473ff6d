package ui

import (
	"testing"

	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/applydialog"
	"github.com/ktraffic/ktraffic/ui/common"
	"github.com/ktraffic/ktraffic/ui/internal/uitest"
)

// The route in front of a Service is the source the flow opens with,
// and "s" steps from it to the Service's own sources and back.
func TestEntrySourceFirst(t *testing.T) {
	snap := uitest.Canary()
	f := newFlowPage(&common.Context{Styles: themes.NewStyles(themes.Theme{Name: "mono"}), Keys: common.DefaultKeyMap()}, applydialog.Writer{}, nil)
	f.snap, f.service = snap, "shop/checkout-v2"
	if got := f.effectiveSource().String(); got != "httproute:shop/checkout" {
		t.Fatalf("opens from %s, want the route", got)
	}
	f.cycle(1)
	if got := f.effectiveSource().String(); got != "internal" {
		t.Errorf("s from the route goes to %s, want internal", got)
	}
	f.cycle(1)
	if got := f.effectiveSource().String(); got != "httproute:shop/checkout" {
		t.Errorf("s from internal goes to %s, want the route", got)
	}
}

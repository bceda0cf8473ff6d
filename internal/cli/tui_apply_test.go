package cli

import (
	"strings"
	"testing"

	"github.com/ktraffic/ktraffic/ui"
)

func TestTUIWritePathOffUnlessLiveAndWritable(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	a := newFactory(strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	var demo ui.Options
	if err := (&tuiRun{a}).writeOptions(false, &demo); err != nil || demo.Applier != nil || demo.ReadOnly != "" || demo.PatchPreview == nil {
		t.Errorf("demo: applier %v read-only %q preview %v, err %v", demo.Applier, demo.ReadOnly, demo.PatchPreview != nil, err)
	}
	a.readOnlyFlag = true
	var live ui.Options
	if err := (&tuiRun{a}).writeOptions(true, &live); err != nil || live.Applier != nil || live.ReadOnly != "--read-only is set" {
		t.Errorf("read-only live: applier %v read-only %q, err %v", live.Applier, live.ReadOnly, err)
	}
}

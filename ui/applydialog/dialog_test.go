package applydialog

import (
	"context"
	"testing"

	"github.com/ktraffic/ktraffic/apply"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/common"
)

type okApplier struct{}

func (okApplier) Check(context.Context, string) error { return nil }
func (okApplier) DryRun(context.Context, string, model.Overrides, bool) (apply.Result, error) {
	return apply.Result{Patch: "spec: {}\n"}, nil
}
func (okApplier) Apply(context.Context, string, model.Overrides, bool, apply.Result) (apply.Result, error) {
	return apply.Result{Changes: []string{"x"}}, nil
}

func testContext(t *testing.T) *common.Context {
	t.Helper()
	th, err := themes.Load("mono", "")
	if err != nil {
		t.Fatal(err)
	}
	return &common.Context{Styles: themes.NewStyles(th), Keys: common.DefaultKeyMap()}
}

func local() model.Overrides {
	var o model.Overrides
	if err := o.Set(model.KeyExternalTrafficPolicy, "Local"); err != nil {
		panic(err)
	}
	return o
}

// TestAnswersAreRoutedByDialog: an answer belongs to the dialog that
// asked; once that dialog is closed, or another one started, it is
// dropped, so a slow API server cannot move a later dialog on.
func TestAnswersAreRoutedByDialog(t *testing.T) {
	d := New(testContext(t), Writer{Applier: okApplier{}})
	first := d.Start("default/web", local(), false)().(AnswerMsg)
	d.Close()
	if _, cmd := d.Update(first); cmd != nil || d.Open() {
		t.Fatalf("an answer to a closed dialog moved it on (open %v)", d.Open())
	}
	second := d.Start("default/web", local(), false)().(AnswerMsg)
	if _, cmd := d.Update(first); cmd != nil || d.step != checking {
		t.Fatalf("the first dialog's answer moved the second to %v", d.step)
	}
	_, cmd := d.Update(second)
	if cmd == nil || d.step != dryRunning {
		t.Fatalf("the second dialog's own answer: step %v", d.step)
	}
	d.Update(cmd())
	if !d.Confirming() {
		t.Fatalf("after the dry run: step %v, want a confirmation", d.step)
	}
}

// TestRefusalsCloseWithANote: nothing to apply, or nothing to apply to,
// never opens the dialog; the parent is told why.
func TestRefusalsCloseWithANote(t *testing.T) {
	var lbOnly model.Overrides
	if err := lbOnly.Set(model.KeyLBMode, model.OverrideValues(model.KeyLBMode)[1]); err != nil || lbOnly.Empty() {
		t.Fatalf("lbMode override: %v", err)
	}
	cases := []struct {
		name string
		w    Writer
		o    model.Overrides
		busy bool
		want string
	}{
		{"read-only", Writer{Applier: okApplier{}, ReadOnly: "--read-only is set"}, local(), false, "Read-only: nothing is applied (--read-only is set)."},
		{"no cluster", Writer{Source: "demo:kiada"}, local(), false, "Nothing to apply to: the data comes from demo:kiada, not a cluster. The patch below is what apply would send to a live Service."},
		{"busy", Writer{Applier: okApplier{}}, local(), true, "The what-if is still being predicted; press a again in a moment."},
		{"no Service field", Writer{Applier: okApplier{}}, lbOnly, false, "Nothing to apply: the what-if changes no Service field (lbMode, lbNode and drills are never applied)."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := New(testContext(t), c.w)
			msg := d.Start("default/web", c.o, c.busy)()
			closed, ok := msg.(ClosedMsg)
			if !ok || closed.Note != c.want || d.Open() {
				t.Errorf("got %#v (open %v), want the note %q", msg, d.Open(), c.want)
			}
		})
	}
}

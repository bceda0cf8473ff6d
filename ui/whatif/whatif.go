// Package whatif is the what-if panel: one row per setting or drill, the
// edit being built, and what has happened to it since (a refusal, a live
// update, an apply's outcome). It asks package compare to judge each
// change and keeps the last comparison the model accepted, so closing
// the panel, a refused change, a failed apply or a live update never
// loses the edit.
package whatif

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/apply"
	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/common"
	"github.com/ktraffic/ktraffic/ui/compare"
	"github.com/ktraffic/ktraffic/ui/picker"
)

// Width is the panel's natural width: what it gets beside the pane.
const Width = 46

// Target is what the what-if is about: a Service on a snapshot, seen
// from the source the flow view shows.
type Target struct {
	Snap    *model.Snapshot
	Service string
	Source  model.TrafficSource
}

// Options are the panel's dependencies, given by its parent.
type Options struct {
	// Preview shows the YAML an apply would send; nil shows none.
	Preview apply.Preview
	// DrawAt is where the before/after pane will draw, so a comparison
	// is drawn ahead, in its command, at that width.
	DrawAt func() compare.Layout
}

// ResultMsg is a comparison of an edit, computed in a command and tagged
// with the request's number, so an answer for an edit that has since
// changed is dropped.
type ResultMsg struct {
	seq int
	// candidate marks a change the user just made, which a refusal undoes.
	candidate bool
	ed        Edit
	cmp       *compare.Comparison
	// err is the model refusing the what-if (a policy the Service type
	// does not take, a drill naming no node): one line, shown in the panel.
	err error
}

// note is a line above the before/after screen: what happened that the
// user did not do on this screen (a live update, an apply arriving).
type note struct {
	text string
	ok   bool
}

// Model is the what-if panel and the edit it builds.
type Model struct {
	ctx    *common.Context
	opts   Options
	target Target
	// flow is the flow view's prediction: the Service's own settings
	// until a comparison arrives.
	flow *model.Prediction

	open   bool
	cursor int
	top    int // the first line of the rows' window, when they do not all fit
	width  int
	height int
	// pick is the picker open on the cursor's row, nil when none is.
	pick *picker.Model
	// offered caches each row's choices for one snapshot and base: at
	// 2,000 nodes they are worth listing once, not once per frame.
	offered offers

	ed      Edit
	pending *Edit // a candidate the model is checking
	seq     int
	cmp     *compare.Comparison
	// refused is the model's one-line refusal of the last change; stale
	// is the current edit failing on a newer snapshot.
	refused string
	stale   string
	notes   []note
	// applied is the change last applied, until a snapshot shows it.
	applied *model.Overrides
}

// New returns an empty what-if.
func New(ctx *common.Context, opts Options) *Model {
	return &Model{ctx: ctx, opts: opts}
}

// SetTarget says what the next comparison is about.
func (m *Model) SetTarget(t Target) { m.target = t }

// SetFlow gives the flow view's prediction, the base before any comparison.
func (m *Model) SetFlow(p *model.Prediction) { m.flow = p }

// Open reports whether the panel is shown.
func (m *Model) Open() bool { return m.open }

// SetOpen shows or hides the panel; the edit stays either way.
func (m *Model) SetOpen(open bool) { m.open = open }

// Edit is the accepted edit.
func (m *Model) Edit() Edit { return m.ed }

// Pending reports whether a change is still being checked.
func (m *Model) Pending() bool { return m.pending != nil }

// Comparison is the accepted edit's before/after; nil until one arrives.
func (m *Model) Comparison() *compare.Comparison { return m.cmp }

// Cursor is the row the panel's cursor is on.
func (m *Model) Cursor() int { return m.cursor }

// Refused is the model's refusal of the last change, or "".
func (m *Model) Refused() string { return m.refused }

// Note replaces the notes with one line; ok marks good news.
func (m *Model) Note(text string, ok bool) { m.notes = []note{{text: text, ok: ok}} }

// ClearNotes drops the notes.
func (m *Model) ClearNotes() { m.notes = nil }

// Notes are the notes' texts.
func (m *Model) Notes() []string {
	out := make([]string, len(m.notes))
	for i, n := range m.notes {
		out[i] = n.text
	}
	return out
}

// AwaitApplied marks o as applied, until a live update shows it.
func (m *Model) AwaitApplied(o model.Overrides) { m.applied = &o }

// Awaiting reports whether an applied change is still to arrive.
func (m *Model) Awaiting() bool { return m.applied != nil }

// Check asks again for the current edit's comparison (a new snapshot, a
// new source): not a change of the user's, so a refusal is shown as
// stale rather than undone. A change of the user's still being checked
// is asked again as such: the new request overtakes its answer, which
// would otherwise be dropped with the change, leaving the notes it
// should clear (an apply's) on screen.
func (m *Model) Check() tea.Cmd {
	if m.pending != nil {
		return m.check(*m.pending, true)
	}
	return m.check(m.ed, false)
}

// Propose asks for the comparison of ed as the user's change: accepted,
// it becomes the edit; refused, the edit stays and the panel says why.
func (m *Model) Propose(ed Edit) tea.Cmd { return m.check(ed, true) }

func (m *Model) check(ed Edit, candidate bool) tea.Cmd {
	m.seq++
	if candidate {
		c := ed
		m.pending = &c
	}
	seq, preview := m.seq, m.opts.Preview
	req := compare.Request{Snap: m.target.Snap, Service: m.target.Service, Source: m.target.Source,
		Overrides: ed.Overrides, Drills: ed.Drills}
	var at compare.Layout
	if m.opts.DrawAt != nil {
		at = m.opts.DrawAt()
	}
	return func() tea.Msg {
		c, err := compare.Evaluate(req, preview, at)
		return ResultMsg{seq: seq, candidate: candidate, ed: ed, cmp: c, err: err}
	}
}

// current is the edit the next change starts from: the candidate being
// checked, if any, so quick key presses add up.
func (m *Model) current() Edit {
	if m.pending != nil {
		return *m.pending
	}
	return m.ed
}

// base is the Service's own settings and prediction, the before side.
func (m *Model) base() (model.Settings, *model.Prediction) {
	if c := m.cmp; c != nil {
		return c.Before.Settings, c.Before
	}
	if p := m.flow; p != nil {
		return p.Settings, p
	}
	return model.Settings{}, nil
}

// shown are the what-if's effective settings, when the screen shows the
// current edit.
func (m *Model) shown() *model.Settings {
	if c := m.cmp; c != nil && m.pending == nil {
		return &c.After.Settings
	}
	return nil
}

// PickerID names the panel's picker in picker messages.
const PickerID = "whatif"

// Picking reports whether a picker is open on a row: it takes every key.
func (m *Model) Picking() bool { return m.pick != nil }

// Captures reports whether k is the what-if's: every key while picking,
// the editing keys while the panel is open, and resetting the whole edit
// always.
func (m *Model) Captures(k tea.KeyPressMsg) bool {
	keys := m.ctx.Keys
	if m.pick != nil || key.Matches(k, keys.ResetAll) {
		return true
	}
	return m.open && key.Matches(k, keys.Up, keys.Down, keys.ValueNext, keys.ValuePrev, keys.ResetRow, keys.Back, keys.Pick)
}

// Update takes the what-if's results, its picker's answers and keys.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case ResultMsg:
		m.take(msg)
	case picker.PickedMsg:
		if m.pick == nil || msg.ID != PickerID {
			return m, nil
		}
		m.pick = nil
		base, _ := m.base()
		next, err := rows[m.cursor].set(m.current(), base, msg.Value)
		if err != nil {
			m.refused = common.FirstLine(err.Error())
			return m, nil
		}
		return m, m.Propose(next)
	case picker.CancelledMsg:
		if msg.ID == PickerID {
			m.pick = nil
		}
	case tea.KeyPressMsg:
		if m.pick != nil {
			_, cmd := m.pick.Update(msg)
			return m, cmd
		}
		return m, m.key(msg)
	}
	return m, nil
}

// offers are the rows' choices for one snapshot and base.
type offers struct {
	snap   *model.Snapshot
	before *model.Prediction
	rows   map[int]offer
}

type offer struct {
	items   []picker.Item
	hosting int
}

// choices are the cursor row's choices, listed once per snapshot and base.
func (m *Model) choices() (items []picker.Item, hosting int) {
	_, before := m.base()
	o := &m.offered
	if o.rows == nil || o.snap != m.target.Snap || o.before != before {
		*o = offers{snap: m.target.Snap, before: before, rows: map[int]offer{}}
	}
	c, ok := o.rows[m.cursor]
	if !ok {
		c.items, c.hosting = rows[m.cursor].choices(m.target.Snap, before)
		o.rows[m.cursor] = c
	}
	return c.items, c.hosting
}

// openPicker lists the row's choices to pick one by typing.
func (m *Model) openPicker() {
	r := rows[m.cursor]
	base, _ := m.base()
	items, _ := m.choices()
	if len(items) == 0 {
		return
	}
	cur, _ := r.value(m.current(), base)
	m.pick = picker.New(m.ctx, PickerID, "Pick "+r.label, items, cur)
}

func (m *Model) take(msg ResultMsg) {
	if msg.seq != m.seq {
		return
	}
	m.pending = nil
	if msg.err != nil {
		if msg.candidate {
			m.refused = common.FirstLine(msg.err.Error())
		} else {
			m.stale = common.FirstLine(msg.err.Error())
		}
		return
	}
	m.ed, m.cmp = msg.ed, msg.cmp
	m.refused, m.stale = "", ""
	if msg.candidate {
		// Notes answer what came before this change; they would now
		// describe a what-if that is gone.
		m.notes = nil
	}
}

func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	keys := m.ctx.Keys
	if key.Matches(k, keys.ResetAll) {
		m.notes = nil
		return m.Propose(Edit{})
	}
	if !m.open {
		return nil
	}
	r := rows[m.cursor]
	base, _ := m.base()
	// ValuePrev shares left and h with Back, and wins here: in the panel
	// they move a value, and esc alone closes it.
	switch {
	case key.Matches(k, keys.Back) && !key.Matches(k, keys.ValuePrev):
		m.open = false
	case key.Matches(k, keys.Up):
		m.cursor = (m.cursor + len(rows) - 1) % len(rows)
	case key.Matches(k, keys.Down):
		m.cursor = (m.cursor + 1) % len(rows)
	case key.Matches(k, keys.ValueNext, keys.ValuePrev):
		dir := 1
		if key.Matches(k, keys.ValuePrev) {
			dir = -1
		}
		items, _ := m.choices()
		next, err := r.step(m.current(), base, m.shown(), r.cycle(items), dir)
		if err != nil {
			m.refused = common.FirstLine(err.Error())
			return nil
		}
		return m.Propose(next)
	case key.Matches(k, keys.ResetRow):
		return m.Propose(r.reset(m.current()))
	case key.Matches(k, keys.Pick):
		m.openPicker()
	}
	return nil
}

// SetSize sets the panel's area: Width beside the pane, the page's
// width above it.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// ShortHelp lists the editing keys, or the picker's while it is open.
func (m *Model) ShortHelp() []key.Binding {
	if m.pick != nil {
		return m.pick.ShortHelp()
	}
	k := m.ctx.Keys
	row := key.NewBinding(key.WithKeys(k.Down.Keys()...), key.WithHelp(k.Down.Help().Key, "next row"))
	return []key.Binding{k.ValueNext, k.ValuePrev, row, k.ResetRow}
}

// FullHelp groups the editing keys.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.ctx.Keys
	return [][]key.Binding{{k.ValueNext, k.ValuePrev, k.Pick, k.ResetRow, k.ResetAll}}
}

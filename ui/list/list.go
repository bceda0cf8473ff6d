// Package list is the service list: one row per Service with its traffic
// settings, endpoint readiness and worst finding; filtered, sorted, and
// drawn only where visible so ten thousand Services scroll smoothly.
package list

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/ui/common"
)

// SortKey names a sort order of the list.
type SortKey int

// Sort orders, in the order the sort key cycles through them.
const (
	SortName SortKey = iota
	SortFinding
	SortType
	SortReady
	sortCount
)

// sortKeys says each order's name, the column that shows it, and its
// natural direction: names and types A to Z, the worst finding first,
// the least ready first — those are the Services in trouble.
var sortKeys = [...]struct {
	name, column string
	descending   bool
}{
	SortName:    {"name", "NAME", false},
	SortFinding: {"finding", "FINDING", true},
	SortType:    {"type", "TYPE", false},
	SortReady:   {"ready", "READY", false},
}

func (s SortKey) String() string { return sortKeys[s].name }

// OpenMsg asks the parent to show a Service's flow.
type OpenMsg struct{ Service string }

// Model is the service list.
type Model struct {
	ctx       *common.Context
	rows      []model.ServiceSummary
	texts     []string // searchText of each row
	loaded    bool
	order     []int  // rows in sort order
	visible   []int  // order after namespace and filter
	filter    string // as typed
	match     matcher
	namespace string
	sort      SortKey
	reverse   bool // sort against the key's natural direction
	cursor    int
	offset    int
	width     int
	height    int
	cols      []column
	paints    paints
}

// New returns an empty list; SetRows fills it.
func New(ctx *common.Context) *Model { return &Model{ctx: ctx} }

// SetRows replaces the rows, keeping the cursor on the same Service.
func (m *Model) SetRows(rows []model.ServiceSummary) {
	keep := m.Selected()
	m.rows = rows
	m.texts = make([]string, len(rows))
	for i := range rows {
		m.texts[i] = searchText(&rows[i])
	}
	m.loaded = true
	m.resort()
	m.Select(keep)
}

// Loaded reports whether rows have arrived.
func (m *Model) Loaded() bool { return m.loaded }

// Rows returns all rows, unfiltered.
func (m *Model) Rows() []model.ServiceSummary { return m.rows }

// Len is the number of rows shown after filtering.
func (m *Model) Len() int { return len(m.visible) }

// SetFilter shows only rows that have every word of f, and none of its
// "!word"s, in what their columns show or their findings' codes and
// levels (searchText), ignoring case.
func (m *Model) SetFilter(f string) {
	keep := m.Selected()
	m.filter = strings.TrimSpace(f)
	m.match = parseFilter(m.filter)
	m.refilter()
	m.Select(keep)
}

// Filter returns the current filter, as typed.
func (m *Model) Filter() string { return m.filter }

// SetNamespace limits the list to one namespace ("" for all).
func (m *Model) SetNamespace(ns string) {
	keep := m.Selected()
	m.namespace = ns
	m.refilter()
	m.Select(keep)
}

// Namespace returns the namespace shown ("" for all).
func (m *Model) Namespace() string { return m.namespace }

// Sort returns the current sort key.
func (m *Model) Sort() SortKey { return m.sort }

// Reversed reports whether the sort runs against its key's natural
// direction.
func (m *Model) Reversed() bool { return m.reverse }

// Descending reports whether the sort column runs from high to low
// (Z to A, worst finding first), which its title's arrow shows.
func (m *Model) Descending() bool { return sortKeys[m.sort].descending != m.reverse }

// SetSort orders the rows by k, in its natural direction or reversed.
func (m *Model) SetSort(k SortKey, reverse bool) {
	keep := m.Selected()
	m.sort, m.reverse = k, reverse
	m.resort()
	m.Select(keep)
}

// sortBy is what a column's sort key does, k9s' way: another column
// sorts by it in its natural direction, the sorted one reverses.
func (m *Model) sortBy(k SortKey) {
	m.SetSort(k, k == m.sort && !m.reverse)
}

// Selected is the Service under the cursor ("" when the list is empty).
func (m *Model) Selected() string {
	if m.cursor < 0 || m.cursor >= len(m.visible) {
		return ""
	}
	return m.rows[m.visible[m.cursor]].Key()
}

// Select moves the cursor to a Service if it is shown.
func (m *Model) Select(svc string) bool {
	if svc == "" {
		return false
	}
	for i, r := range m.visible {
		if m.rows[r].Key() == svc {
			m.cursor = i
			m.scrollToCursor()
			return true
		}
	}
	m.cursor = max(0, min(m.cursor, len(m.visible)-1))
	m.scrollToCursor()
	return false
}

// Cursor is the row index under the cursor.
func (m *Model) Cursor() int { return m.cursor }

func (m *Model) resort() {
	m.order = make([]int, len(m.rows))
	for i := range m.order {
		m.order[i] = i
	}
	rows := m.rows
	byName := func(a, b int) int {
		if c := strings.Compare(rows[a].Namespace, rows[b].Namespace); c != 0 {
			return c
		}
		return strings.Compare(rows[a].Name, rows[b].Name)
	}
	// by compares the sort column ascending; ties go by name, A to Z,
	// whichever way the column runs.
	by := byName
	switch m.sort {
	case SortFinding:
		by = func(a, b int) int { return cmp.Compare(severity(rows[a]), severity(rows[b])) }
	case SortType:
		by = func(a, b int) int { return cmp.Compare(rows[a].Type, rows[b].Type) }
	case SortReady:
		by = func(a, b int) int { return cmp.Compare(readiness(rows[a]), readiness(rows[b])) }
	}
	desc := m.Descending()
	slices.SortStableFunc(m.order, func(a, b int) int {
		c := by(a, b)
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return byName(a, b)
	})
	m.refilter()
}

func severity(r model.ServiceSummary) int {
	if r.Err != "" {
		return 4
	}
	if r.Worst == nil {
		return 0
	}
	return r.Worst.Level.Rank()
}

func readiness(r model.ServiceSummary) float64 {
	if r.TotalEndpoints == 0 {
		return -1
	}
	return float64(r.ReadyEndpoints) / float64(r.TotalEndpoints)
}

func (m *Model) refilter() {
	m.visible = m.visible[:0]
	for _, i := range m.order {
		r := &m.rows[i]
		if m.namespace != "" && r.Namespace != m.namespace {
			continue
		}
		if !m.match.empty() && !m.match.matches(m.texts[i]) {
			continue
		}
		m.visible = append(m.visible, i)
	}
	m.cols = nil
}

// SetSize sets the area; one line goes to the column headings.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.cols = nil
	m.scrollToCursor()
}

func (m *Model) bodyHeight() int { return max(1, m.height-1) }

func (m *Model) scrollToCursor() {
	h := m.bodyHeight()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+h {
		m.offset = m.cursor - h + 1
	}
	m.offset = max(0, min(m.offset, len(m.visible)-h))
}

// Update moves the cursor and opens a Service.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	keys := m.ctx.Keys
	page := m.bodyHeight()
	switch {
	case key.Matches(k, keys.Down):
		m.cursor++
	case key.Matches(k, keys.Up):
		m.cursor--
	case key.Matches(k, keys.PageDown):
		m.cursor += page
	case key.Matches(k, keys.PageUp):
		m.cursor -= page
	case key.Matches(k, keys.Top):
		m.cursor = 0
	case key.Matches(k, keys.Bottom):
		m.cursor = len(m.visible) - 1
	case key.Matches(k, keys.Sort):
		m.SetSort((m.sort+1)%sortCount, false)
		return m, nil
	case key.Matches(k, keys.SortBack):
		m.SetSort((m.sort+sortCount-1)%sortCount, false)
		return m, nil
	case key.Matches(k, keys.SortName, keys.SortFinding, keys.SortType, keys.SortReady):
		for s, b := range []key.Binding{SortName: keys.SortName, SortFinding: keys.SortFinding, SortType: keys.SortType, SortReady: keys.SortReady} {
			if key.Matches(k, b) {
				m.sortBy(SortKey(s))
			}
		}
		return m, nil
	case key.Matches(k, keys.Open):
		if svc := m.Selected(); svc != "" {
			return m, func() tea.Msg { return OpenMsg{Service: svc} }
		}
		return m, nil
	default:
		return m, nil
	}
	m.cursor = max(0, min(m.cursor, len(m.visible)-1))
	m.scrollToCursor()
	return m, nil
}

// ShortHelp lists the keys that matter on the list.
func (m *Model) ShortHelp() []key.Binding {
	k := m.ctx.Keys
	return []key.Binding{k.Open, k.Down, k.Filter, k.Sort, k.Command}
}

// FullHelp groups the list's keys.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.ctx.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Open, k.Filter},
		{k.Sort, k.SortBack, k.SortName, k.SortFinding, k.SortType, k.SortReady}}
}

func itoa(n int) string { return strconv.Itoa(n) }

package list

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/common"
)

// rows are four Services an operator tells apart by more than their
// names: policies, LB mode and findings.
func rows() []model.ServiceSummary {
	finding := func(l model.Level, code string) []model.SourcedFinding {
		return []model.SourcedFinding{{Finding: model.Finding{Level: l, Code: code, Message: "a node drops traffic"}}}
	}
	out := []model.ServiceSummary{
		{Namespace: "shop", Name: "checkout", Type: model.TypeLoadBalancer, ExternalTrafficPolicy: "Local", InternalTrafficPolicy: "Cluster",
			SessionAffinity: "None", LBMode: model.LBModeNodes, ReadyEndpoints: 3, TotalEndpoints: 3,
			Findings: finding(model.LevelWarning, model.CodeLocalPolicyImbalance)},
		{Namespace: "shop", Name: "cart", Type: model.TypeClusterIP, InternalTrafficPolicy: "Local",
			SessionAffinity: "ClientIP", ReadyEndpoints: 1, TotalEndpoints: 2, Findings: finding(model.LevelError, model.CodeInternalLocalDrops)},
		{Namespace: "edge", Name: "ingress", Type: model.TypeLoadBalancer, ExternalTrafficPolicy: "Cluster", InternalTrafficPolicy: "Cluster",
			SessionAffinity: "None", LBMode: model.LBModeSingleNode, ReadyEndpoints: 2, TotalEndpoints: 2,
			Findings: finding(model.LevelInfo, model.CodeSingleNodeLB)},
		{Namespace: "default", Name: "api", Type: model.TypeNodePort, ExternalTrafficPolicy: "Cluster", InternalTrafficPolicy: "Cluster",
			SessionAffinity: "None", ReadyEndpoints: 0, TotalEndpoints: 0, Findings: finding(model.LevelError, model.CodeNoEndpoints)},
	}
	for i := range out {
		out[i].Worst = &out[i].Findings[0].Finding
	}
	return out
}

func testList(t *testing.T) *Model {
	t.Helper()
	th, err := themes.Load("mono", "")
	if err != nil {
		t.Fatal(err)
	}
	m := New(&common.Context{Styles: themes.NewStyles(th), Keys: common.DefaultKeyMap()})
	m.SetSize(100, 10)
	m.SetRows(rows())
	return m
}

// shown lists the Services shown, in order.
func shown(m *Model) []string {
	var out []string
	for _, i := range m.visible {
		out = append(out, m.rows[i].Key())
	}
	return out
}

func TestFilterMatchesWhatTheRowSays(t *testing.T) {
	tests := []struct {
		filter string
		want   []string
	}{
		{"", []string{"default/api", "edge/ingress", "shop/cart", "shop/checkout"}},
		{"shop/c", []string{"shop/cart", "shop/checkout"}},
		// Either traffic policy, whatever the case typed.
		{"Local", []string{"shop/cart", "shop/checkout"}},
		{"local", []string{"shop/cart", "shop/checkout"}},
		{"nodeport", []string{"default/api"}},
		{"ClientIP", []string{"shop/cart"}},
		// Finding codes and levels.
		{"Drop", []string{"shop/cart"}},
		{"error", []string{"default/api", "shop/cart"}},
		{"NoEndpoints", []string{"default/api"}},
		// The LB mode, shown nowhere in the row but in the prediction.
		{"single-node", []string{"edge/ingress"}},
		{"0/0", []string{"default/api"}},
		// Words AND; "!" excludes.
		{"Local LoadBalancer", []string{"shop/checkout"}},
		{"shop !drop", []string{"shop/checkout"}},
		{"!Cluster", nil},
		{"!", []string{"default/api", "edge/ingress", "shop/cart", "shop/checkout"}},
		// No word spans two fields, and the message is not searched.
		{"apinodeport", nil},
		{"traffic", nil},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			m := testList(t)
			m.SetFilter(tt.filter)
			if got := shown(m); !slices.Equal(got, tt.want) {
				t.Errorf("filter %q shows %q, want %q", tt.filter, got, tt.want)
			}
		})
	}
}

// What was typed is kept as typed: the header and the prompt echo it.
func TestFilterKeepsWhatWasTyped(t *testing.T) {
	m := testList(t)
	m.SetFilter(" Local Drop ")
	if got := m.Filter(); got != "Local Drop" {
		t.Errorf("Filter() = %q", got)
	}
	m.SetFilter("NoSuchThing")
	if v := m.View(); !strings.Contains(v, "No Services match “NoSuchThing”") {
		t.Errorf("view lacks the filter as typed:\n%s", v)
	}
}

func press(s string) tea.KeyPressMsg {
	r := []rune(s)[0]
	k := tea.KeyPressMsg{Code: r, Text: s}
	if r >= 'A' && r <= 'Z' {
		k.Code, k.ShiftedCode, k.Mod = r+('a'-'A'), r, tea.ModShift
	}
	return k
}

// TestSortKeys: o and O cycle the column both ways in its natural
// direction; a column's letter sorts by it and, again, reverses it. The
// column title shows the direction.
func TestSortKeys(t *testing.T) {
	steps := []struct {
		key   string
		sort  SortKey
		desc  bool
		title string
		order []string
	}{
		{"o", SortFinding, true, "FINDING↓", []string{"default/api", "shop/cart", "shop/checkout", "edge/ingress"}},
		{"o", SortType, false, "TYPE↑", []string{"shop/cart", "edge/ingress", "shop/checkout", "default/api"}},
		{"O", SortFinding, true, "FINDING↓", []string{"default/api", "shop/cart", "shop/checkout", "edge/ingress"}},
		{"F", SortFinding, false, "FINDING↑", []string{"edge/ingress", "shop/checkout", "default/api", "shop/cart"}},
		{"F", SortFinding, true, "FINDING↓", []string{"default/api", "shop/cart", "shop/checkout", "edge/ingress"}},
		{"O", SortName, false, "NAME↑", []string{"default/api", "edge/ingress", "shop/cart", "shop/checkout"}},
		{"N", SortName, true, "NAME↓", []string{"shop/checkout", "shop/cart", "edge/ingress", "default/api"}},
		{"O", SortReady, false, "READY↑", []string{"default/api", "shop/cart", "edge/ingress", "shop/checkout"}},
		{"R", SortReady, true, "READY↓", []string{"edge/ingress", "shop/checkout", "shop/cart", "default/api"}},
		{"T", SortType, false, "TYPE↑", []string{"shop/cart", "edge/ingress", "shop/checkout", "default/api"}},
		{"T", SortType, true, "TYPE↓", []string{"default/api", "edge/ingress", "shop/checkout", "shop/cart"}},
		{"o", SortReady, false, "READY↑", []string{"default/api", "shop/cart", "edge/ingress", "shop/checkout"}},
		{"o", SortName, false, "NAME↑", []string{"default/api", "edge/ingress", "shop/cart", "shop/checkout"}},
	}
	m := testList(t)
	for i, s := range steps {
		m.Update(press(s.key))
		if m.Sort() != s.sort || m.Descending() != s.desc {
			t.Fatalf("step %d %q: sort %v descending %v, want %v %v", i, s.key, m.Sort(), m.Descending(), s.sort, s.desc)
		}
		if got := shown(m); !slices.Equal(got, s.order) {
			t.Fatalf("step %d %q: order %q, want %q", i, s.key, got, s.order)
		}
		head := strings.SplitN(m.View(), "\n", 2)[0]
		if !strings.Contains(head, s.title) || strings.Count(head, "↑")+strings.Count(head, "↓") != 1 {
			t.Fatalf("step %d %q: heading %q, want one arrow, on %s", i, s.key, head, s.title)
		}
	}
}

// The cursor stays on its Service when the order changes.
func TestSortKeepsTheCursor(t *testing.T) {
	m := testList(t)
	m.Select("shop/cart")
	for _, k := range []string{"o", "N", "R", "O"} {
		m.Update(press(k))
		if got := m.Selected(); got != "shop/cart" {
			t.Fatalf("after %q the cursor is on %q", k, got)
		}
	}
}

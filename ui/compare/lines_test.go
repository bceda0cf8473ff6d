package compare

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ktraffic/ktraffic/themes"
)

// TestFitTable: a table too wide for the width loses no cell: alike
// columns (never the name or the verdict) are named once, and what is
// still too wide goes to another table under it with the names again.
func TestFitTable(t *testing.T) {
	rows := [][]string{
		{"SOURCE", "CHANGE", "DROPPED", "CROSS-ZONE", "CLIENT IP", "NODES LOSING TRAFFIC"},
		{"load balancer", "worse", "0.0%", "0.0% → 50.0%", "preserved → lost (SNAT)", "-"},
		{"in-cluster", "worse", "0.0%", "50.0%", "preserved", "-"},
	}
	cases := []struct {
		width  int
		tables int
		same   []string
	}{
		{200, 1, nil},
		{70, 1, []string{"NODES LOSING TRAFFIC -"}},
		{40, 2, []string{"DROPPED 0.0%", "NODES LOSING TRAFFIC -"}},
	}
	for _, c := range cases {
		tables, same := fitTable(rows, c.width)
		if len(tables) != c.tables || !slices.Equal(same, c.same) {
			t.Errorf("width %d: %d tables, same %q; want %d, %q", c.width, len(tables), same, c.tables, c.same)
		}
		var cells []string
		for _, tb := range tables {
			if tb[0][0] != "SOURCE" || tb[1][0] != "load balancer" {
				t.Errorf("width %d: a table without the names: %q", c.width, tb)
			}
			for _, l := range table(tb, testStyles(t)) {
				if w := ansi.StringWidth(l); w > c.width && c.width >= 40 {
					t.Errorf("width %d: line %q is %d wide", c.width, ansi.Strip(l), w)
				}
			}
			for _, r := range tb {
				cells = append(cells, r[1:]...)
			}
		}
		all := strings.Join(append(cells, same...), "|")
		for _, want := range []string{"worse", "preserved → lost (SNAT)", "0.0% → 50.0%"} {
			if !strings.Contains(all, want) {
				t.Errorf("width %d lost %q", c.width, want)
			}
		}
	}
}

func testStyles(t *testing.T) *themes.Styles {
	t.Helper()
	th, err := themes.Load("mono", "")
	if err != nil {
		t.Fatal(err)
	}
	return themes.NewStyles(th)
}

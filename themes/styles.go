package themes

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles are the theme's roles as lipgloss styles, grouped by what they
// draw. Widgets use these and never build colours themselves.
type Styles struct {
	Theme Theme

	Text, Muted, Faint, Bold lipgloss.Style
	Title                    lipgloss.Style // screen and section titles
	Header, Footer           lipgloss.Style // the bars at top and bottom
	Key                      lipgloss.Style // a key name in hints
	Selected                 lipgloss.Style // the row under the cursor
	ColumnHead               lipgloss.Style // table column headings
	Prompt                   lipgloss.Style // ":" and "/" line prompts
	Message, ErrorMessage    lipgloss.Style // one-line notices in the footer

	Levels map[string]lipgloss.Style // finding levels: info, unknown, warning, error

	// Flow view.
	Box                          lipgloss.Style // the entry box border
	EdgeIdle, EdgeLocal          lipgloss.Style
	EdgeCrossNode, EdgeCrossZone lipgloss.Style
	Healthy, Unhealthy           lipgloss.Style // LB health marks
	BarFull, BarEmpty            lipgloss.Style
	Sink                         lipgloss.Style // dropped and rejected traffic
	Good, Bad                    lipgloss.Style // plain verdicts: client IP kept / lost
	Zone                         lipgloss.Style // zone group headings

	Help help.Styles
}

// NewStyles turns a theme into styles. In a mono theme every colour is
// absent, so emphasis falls back on bold, faint, underline and reverse,
// and the flow view's dashed edges carry what colour would.
func NewStyles(t Theme) *Styles {
	c := func(s string) color.Color {
		if s == "" {
			return lipgloss.NoColor{}
		}
		return lipgloss.Color(s)
	}
	fg := func(s string) lipgloss.Style { return lipgloss.NewStyle().Foreground(c(s)) }
	mono := t.Mono()

	s := &Styles{Theme: t}
	s.Text = fg(t.Text)
	s.Muted = fg(t.Muted)
	s.Faint = fg(t.Faint)
	s.Bold = fg(t.Text).Bold(true)
	s.Title = fg(t.Accent).Bold(true)
	s.Header = fg(t.Text)
	s.Footer = fg(t.Muted)
	s.Key = fg(t.Accent).Bold(true)
	s.Selected = lipgloss.NewStyle().Background(c(t.Selection)).Foreground(c(t.Text)).Bold(true)
	s.ColumnHead = fg(t.Muted).Bold(true)
	s.Prompt = fg(t.Accent).Bold(true)
	s.Message = fg(t.Success)
	s.ErrorMessage = fg(t.Error).Bold(true)
	s.Levels = map[string]lipgloss.Style{
		"info":    fg(t.Info),
		"unknown": fg(t.Muted).Italic(true),
		"warning": fg(t.Warning).Bold(true),
		"error":   fg(t.Error).Bold(true),
	}
	s.Box = fg(t.Faint)
	s.EdgeIdle = fg(t.Faint)
	s.EdgeLocal = fg(t.Success)
	s.EdgeCrossNode = fg(t.Warning)
	s.EdgeCrossZone = fg(t.CrossZone).Bold(true)
	s.Healthy = fg(t.Success).Bold(true)
	s.Unhealthy = fg(t.Error).Bold(true)
	s.BarFull = fg(t.Bar)
	s.BarEmpty = fg(t.Faint)
	s.Sink = fg(t.Error).Bold(true)
	s.Good = fg(t.Success).Bold(true)
	s.Bad = fg(t.Warning).Bold(true)
	s.Zone = fg(t.Info).Bold(true)

	s.Help = help.Styles{
		Ellipsis:       fg(t.Faint),
		ShortKey:       fg(t.Accent),
		ShortDesc:      fg(t.Muted),
		ShortSeparator: fg(t.Faint),
		FullKey:        fg(t.Accent).Bold(true),
		FullDesc:       fg(t.Text),
		FullSeparator:  fg(t.Faint),
	}

	if mono {
		s.Selected = lipgloss.NewStyle().Reverse(true)
		s.Faint = lipgloss.NewStyle().Faint(true)
		s.EdgeIdle = s.Faint
		s.BarEmpty = s.Faint
		s.Box = s.Faint
		s.EdgeCrossNode = lipgloss.NewStyle().Bold(true)
		s.EdgeCrossZone = lipgloss.NewStyle().Bold(true)
		s.Zone = lipgloss.NewStyle().Underline(true)
		s.Levels["info"] = lipgloss.NewStyle()
		s.Levels["unknown"] = lipgloss.NewStyle().Italic(true)
	}
	return s
}

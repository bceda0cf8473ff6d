package list

import (
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

// matcher is a parsed "/" filter. Its words are ANDed, so "/Local Drop"
// narrows to Local Services whose findings mention drops, and a word
// starting with "!" excludes rows that have it (k9s' "/!" inverse
// filter, per word). Matching ignores case; the filter keeps the text as
// typed for the header and the prompt.
type matcher struct{ want, not []string }

func parseFilter(f string) matcher {
	var m matcher
	for _, w := range strings.Fields(strings.ToLower(f)) {
		switch {
		case w == "!":
		case strings.HasPrefix(w, "!"):
			m.not = append(m.not, w[1:])
		default:
			m.want = append(m.want, w)
		}
	}
	return m
}

func (m matcher) empty() bool { return len(m.want) == 0 && len(m.not) == 0 }

// matches reports whether a row's searchText passes the filter.
func (m matcher) matches(text string) bool {
	for _, w := range m.want {
		if !strings.Contains(text, w) {
			return false
		}
	}
	for _, w := range m.not {
		if strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// searchText is what the filter reads of a row, in lower case: what the
// columns show (namespace/name, type, traffic policies, affinity, ready
// endpoints), the LB mode, and each finding's code and level, so "/Local"
// finds Local policies and "/Drop" the Services whose findings are about
// drops. Fields are apart by newlines, which a filter word cannot hold,
// so no word matches across two fields. Built once per row when the rows
// arrive: the filter runs on every key typed, over thousands of rows.
func searchText(r *model.ServiceSummary) string {
	var b strings.Builder
	field := func(s string) {
		if s != "" {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	field(r.Namespace + "/" + r.Name)
	field(string(r.Type))
	field(string(r.ExternalTrafficPolicy))
	field(string(r.InternalTrafficPolicy))
	field(string(r.SessionAffinity))
	field(r.LBMode)
	field(itoa(r.ReadyEndpoints) + "/" + itoa(r.TotalEndpoints))
	for _, f := range r.Findings {
		field(f.Code)
		field(string(f.Level))
	}
	field(r.Err)
	return strings.ToLower(b.String())
}

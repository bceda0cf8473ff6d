package flow

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/common"
)

// The client side: kube-proxy balances connections, so the flow view can
// state how many clients connect and how they hold connections (c cycles
// the profile, + and - the clients) and shows each pod's expected load as
// a band beside its ideal share, with why it lumps.

// maxBandPods bounds the band rows; the rest are summed up in one line.
const maxBandPods = 12

// connectionLines draws a client side's load band.
func connectionLines(c *model.ConnectionLoad, p *model.Prediction, st *themes.Styles, width int) []string {
	head := fmt.Sprintf("%d %s %s × %d %s each", c.Clients, c.Profile, plural(c.Clients, "client"), c.ConnectionsPerClient, plural(c.ConnectionsPerClient, "connection"))
	out := []string{st.Title.Render("Connections") + "  " + st.Bold.Render(head) + st.Muted.Render("  (c profile, +/- clients)")}
	for _, l := range wrap(c.Summary, max(width-2, 20)) {
		out = append(out, "  "+st.Text.Render(l))
	}
	nameW := 8
	for _, pl := range c.Pods {
		nameW = max(nameW, len([]rune(shortName(pl.Pod, p.Service))))
	}
	nameW = min(nameW, 32)
	barW := 20
	if width < 90 {
		barW = 12
	}
	shown := 0
	for _, pl := range c.Pods {
		if pl.Share <= 1e-12 {
			continue
		}
		if shown == maxBandPods {
			out = append(out, "  "+st.Muted.Render(fmt.Sprintf("… %d more pods", c.PodsReached-shown)))
			break
		}
		shown++
		band := strings.TrimSpace(pct(pl.LoadLow)) + "–" + strings.TrimSpace(pct(pl.LoadHigh))
		out = append(out, "  "+st.Text.Render(pad(clipMiddle(shortName(pl.Pod, p.Service), nameW), nameW))+" "+
			bandBar(st, pl, barW)+" "+st.Muted.Render("ideal ")+st.Text.Render(strings.TrimSpace(pct(pl.Share)))+
			st.Muted.Render("  band ")+st.Bold.Render(band)+st.Muted.Render(fmt.Sprintf("  idle %.0f%%", 100*pl.IdleProbability)))
	}
	for _, x := range c.Explanation {
		for i, l := range wrap(x, max(width-4, 20)) {
			lead := "  · "
			if i > 0 {
				lead = "    "
			}
			out = append(out, lead+st.Muted.Render(l))
		}
	}
	return out
}

// bandBar draws the 10th–90th percentile band of a pod's part of the
// connections, with its ideal share marked: ░ outside, ▒ the band, ┃ the
// ideal.
func bandBar(st *themes.Styles, pl model.PodLoad, w int) string {
	lo, hi := int(pl.LoadLow*float64(w)+0.5), int(pl.LoadHigh*float64(w)+0.5)
	hi = max(hi, lo+1)
	ideal := min(int(pl.Share*float64(w)), w-1)
	var b strings.Builder
	for i := range w {
		switch {
		case i == ideal:
			b.WriteString(st.Bold.Render("┃"))
		case i >= lo && i < hi:
			b.WriteString(st.BarFull.Render("▒"))
		default:
			b.WriteString(st.BarEmpty.Render("░"))
		}
	}
	return b.String()
}

// connectionsFor is the band to draw: the prediction's own, or one for
// the client side the view states.
func connectionsFor(p *model.Prediction, o Options) *model.ConnectionLoad {
	switch {
	case p.Connections != nil:
		return p.Connections
	case o.Clients != nil && len(p.Endpoints) > 0:
		return model.ExpectConnections(p, *o.Clients)
	}
	return nil
}

// nextClients steps the client side: c cycles the profiles and then off,
// + and - change how many clients connect (starting with one HTTP/2
// client when none is stated).
func nextClients(cur *model.ClientSide, k tea.KeyPressMsg, keys *common.KeyMap) *model.ClientSide {
	c := model.ClientSide{Profile: model.ProfileHTTP2, Clients: 1}
	if cur != nil {
		c = *cur
	}
	switch {
	case key.Matches(k, keys.Clients):
		if cur == nil {
			c.Profile = model.ClientProfiles[0]
			return &c
		}
		i := slices.Index(model.ClientProfiles, c.Profile)
		if i == len(model.ClientProfiles)-1 {
			return nil
		}
		c.Profile = model.ClientProfiles[i+1]
	case key.Matches(k, keys.MoreClients):
		if cur != nil {
			c.Clients = min(c.Clients+1, model.MaxClients)
		}
	case key.Matches(k, keys.FewerClients):
		if cur == nil {
			return nil
		}
		c.Clients = max(c.Clients-1, 1)
	}
	return &c
}

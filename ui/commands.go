package ui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/themes"
	"github.com/ktraffic/ktraffic/ui/common"
)

// commandLine is one row of the help screen's Commands section.
type commandLine struct{ cmd, desc string }

// commandHelp is shown on the help screen and after a mistyped command,
// with the prompt's editing keys from the key map.
var commandHelp = append([]commandLine{
	{":svc [NAME]", "service list, or the flow of NAME (NAMESPACE/NAME)"},
	{":ns NAME|all", "show one namespace, or all of them"},
	{":from SOURCE", "traffic source: " + model.ValidSources},
	{":theme [NAME]", "switch theme, or list them (" + strings.Join(themes.Names(), ", ") + ")"},
	{":demo [NAME]", "switch to a built-in demo scenario, or list them"},
	{":q", "quit"},
}, promptHelp(common.DefaultKeyMap())...)

// promptHelp names the keys that edit the ":" and "/" line.
func promptHelp(k *common.KeyMap) []commandLine {
	var out []commandLine
	for _, b := range k.PromptHelp() {
		out = append(out, commandLine{b.Help().Key, b.Help().Desc})
	}
	return out
}

// completions lists the whole lines a ":" line starting with head can
// become: the command names for an empty head, else the command's
// arguments from what is loaded — the snapshot's namespaces and Services
// (bare names in the namespace shown first, then NAMESPACE/NAME), the
// demos, the traffic sources of the Service in front, the themes. The
// prompt narrows them by what is typed after head.
func (m *Model) completions(head string) []string {
	name := strings.TrimSpace(head)
	if name == "" {
		return []string{"svc ", "ns ", "from ", "theme ", "demo ", "help", "q"}
	}
	var words []string
	switch name {
	case "ns", "namespace":
		words = append(words, "all")
		if m.snap != nil {
			seen := map[string]bool{}
			for _, s := range m.snap.Services {
				if !seen[s.Namespace] {
					seen[s.Namespace] = true
					words = append(words, s.Namespace)
				}
			}
		}
	case "svc", "service", "services", "s":
		if m.snap != nil {
			if ns := m.list.Namespace(); ns != "" {
				for _, s := range m.snap.Services {
					if s.Namespace == ns {
						words = append(words, s.Name)
					}
				}
			}
			for _, s := range m.snap.Services {
				words = append(words, s.Key())
			}
		}
	case "demo":
		for _, d := range m.opts.Demos {
			words = append(words, d.Name)
		}
	case "from":
		svc := m.flow.service
		if m.page == pageList || svc == "" {
			svc = m.list.Selected()
		}
		if m.snap != nil && m.snap.Service(svc) != nil {
			for _, src := range model.SourcesFor(m.snap.Service(svc), model.TrafficSource{}) {
				words = append(words, src.String())
			}
			// Then each node, for the sources that narrow to one.
			nodes := make([]string, 0, len(m.snap.Nodes))
			for _, n := range m.snap.Nodes {
				nodes = append(nodes, n.Name)
			}
			slices.Sort(nodes)
			for _, kind := range []model.SourceKind{model.SourceNodePort, model.SourceInternal} {
				if slices.Contains(words, string(kind)) {
					for _, n := range nodes {
						words = append(words, string(kind)+":"+n)
					}
				}
			}
		}
	case "theme":
		words = themes.Available(m.opts.ThemeDir)
	}
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = name + " " + w
	}
	return out
}

// run executes a ":" command line.
func (m *Model) run(line string) tea.Cmd {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return nil
	}
	name, args := fields[0], fields[1:]
	arg := strings.Join(args, " ")
	switch name {
	case "q", "q!", "quit", "exit":
		return m.quit()
	case "help", "h", "?":
		m.showHelp = true
	case "svc", "service", "services", "s":
		if arg == "" {
			m.page = pageList
			m.resize()
			return nil
		}
		return m.openFlow(m.qualify(arg), model.TrafficSource{})
	case "ns", "namespace":
		if arg == "all" || arg == "-A" {
			arg = ""
		}
		m.list.SetNamespace(arg)
		m.page = pageList
		m.resize()
		if arg == "" {
			m.setStatus("all namespaces", true)
		} else {
			m.setStatus("namespace "+arg, true)
		}
	case "from":
		src, err := model.ParseSource(arg)
		if err != nil {
			m.setStatus(err.Error(), false)
			return nil
		}
		svc := m.flow.service
		if m.page == pageList || svc == "" {
			svc = m.list.Selected()
		}
		if svc == "" {
			m.setStatus("open a Service first", false)
			return nil
		}
		return m.openFlow(svc, src)
	case "theme":
		if arg == "" {
			m.setStatus(m.themeList(), true)
			return nil
		}
		if err := m.setTheme(arg); err != nil {
			m.setStatus(err.Error(), false)
			return nil
		}
		m.themeAuto = false
		m.setStatus("theme "+m.theme, true)
	case "demo":
		return m.demoCommand(arg)
	default:
		m.setStatus("unknown command :"+name+" (try :svc, :ns, :from, :theme, :demo, :q; ? for help)", false)
	}
	return nil
}

// themeList says which themes there are and which is in use, for a
// :theme without a name.
func (m *Model) themeList() string {
	names := themes.Available(m.opts.ThemeDir)
	for i, n := range names {
		if n == m.theme {
			names[i] += " (in use)"
		}
	}
	return "themes: " + strings.Join(names, ", ") + " (:theme NAME or t to switch)"
}

// qualify puts a bare Service name into the namespace shown, or the only
// namespace that has it.
func (m *Model) qualify(name string) string {
	if strings.Contains(name, "/") || m.snap == nil {
		return name
	}
	if ns := m.list.Namespace(); ns != "" {
		return ns + "/" + name
	}
	found := ""
	for i := range m.snap.Services {
		if m.snap.Services[i].Name == name {
			if found != "" {
				return name // ambiguous: let openFlow say it is not found
			}
			found = m.snap.Services[i].Key()
		}
	}
	if found == "" {
		return name
	}
	return found
}

func (m *Model) demoNames() string {
	names := make([]string, len(m.opts.Demos))
	for i, d := range m.opts.Demos {
		names[i] = d.Name
	}
	return strings.Join(names, ", ")
}

func (m *Model) demoCommand(name string) tea.Cmd {
	if m.opts.LoadDemo == nil || len(m.opts.Demos) == 0 {
		m.setStatus(":demo works when ktraffic runs with --demo", false)
		return nil
	}
	if name == "" {
		m.setStatus("demos: "+m.demoNames(), true)
		return nil
	}
	load := m.opts.LoadDemo
	return func() tea.Msg {
		s, err := load(name)
		return demoMsg{name: name, snap: s, err: err}
	}
}

// switchDemo shows a loaded scenario, opening its featured Service.
func (m *Model) switchDemo(msg demoMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus(msg.err.Error()+" (demos: "+m.demoNames()+")", false)
		return nil
	}
	m.source = "demo:" + msg.name
	m.snap = msg.snap
	m.list.SetNamespace("")
	m.list.SetFilter("")
	cmds := []tea.Cmd{m.summarize()}
	m.flow.service = ""
	for _, d := range m.opts.Demos {
		if d.Name == msg.name && d.Service != "" {
			cmds = append(cmds, m.openFlow(d.Service, model.TrafficSource{}))
		}
	}
	if m.flow.service == "" {
		m.page = pageList
	}
	m.setStatus("demo "+msg.name, true)
	return tea.Batch(cmds...)
}

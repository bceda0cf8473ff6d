package common

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
)

// KeyMap is every binding of the UI. Components pick the ones they handle
// and return them from ShortHelp/FullHelp, so help text is the handling.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Open, Back, Quit, Help                  key.Binding
	Filter, Command, Sort                   key.Binding
	// Sorting the list both ways: o and O cycle the sort column, a
	// column's shift+letter (k9s' habit) sorts by it and, pressed again,
	// reverses it.
	SortBack, SortName, SortFinding, SortType, SortReady key.Binding
	Source, SourceBack                                   key.Binding
	Theme                                                key.Binding
	// The client side of the flow view: profile, more or fewer clients.
	Clients, MoreClients, FewerClients key.Binding

	// What-if panel and apply dialog. They reuse letters other screens
	// use (space, enter, h/l) because the panel and the dialog take keys
	// before the page under them.
	WhatIf, Apply                            key.Binding
	ValueNext, ValuePrev, ResetRow, ResetAll key.Binding
	Confirm, Decline, Force                  key.Binding

	// Picking by name, for lists a cluster makes long (2,000 nodes): "/"
	// on a what-if row and "n" on the flow open a picker, where typed
	// text narrows the list, so only keys that type nothing move in it.
	Pick, FromNode                             key.Binding
	ListUp, ListDown, ListPageUp, ListPageDown key.Binding
	ListTop, ListBottom                        key.Binding
	Choose, Cancel                             key.Binding

	// Prompt edits the ":" and "/" line, Bubbles' textinput keys with
	// help text for those the help screen names.
	Prompt textinput.KeyMap
}

// DefaultKeyMap follows k9s and less, the habits operators already have.
func DefaultKeyMap() *KeyMap {
	return &KeyMap{
		Up:           key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:         key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:       key.NewBinding(key.WithKeys("pgup", "ctrl+b", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown", "ctrl+f", "ctrl+d", "space"), key.WithHelp("pgdn", "page down")),
		Top:          key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:       key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		Open:         key.NewBinding(key.WithKeys("enter", "right", "l"), key.WithHelp("enter", "show flow")),
		Back:         key.NewBinding(key.WithKeys("esc", "left", "h"), key.WithHelp("esc", "back")),
		Quit:         key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Help:         key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Filter:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Command:      key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command")),
		Sort:         key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "sort by next column")),
		SortBack:     key.NewBinding(key.WithKeys("O"), key.WithHelp("O", "sort by previous column")),
		SortName:     key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "sort by name (again: reverse)")),
		SortFinding:  key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "sort by finding (again: reverse)")),
		SortType:     key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "sort by type (again: reverse)")),
		SortReady:    key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "sort by ready (again: reverse)")),
		Source:       key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "next source")),
		SourceBack:   key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "previous source")),
		Theme:        key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "next theme")),
		Clients:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "client profile (connections band)")),
		MoreClients:  key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+", "more clients")),
		FewerClients: key.NewBinding(key.WithKeys("-"), key.WithHelp("-", "fewer clients")),
		WhatIf:       key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "what-if")),
		Apply:        key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "apply")),
		ValueNext:    key.NewBinding(key.WithKeys("right", "l", "enter", "space"), key.WithHelp("→/enter", "next value")),
		ValuePrev:    key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←", "previous value")),
		ResetRow:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "reset row")),
		ResetAll:     key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "reset what-if")),
		// Enter declines: the safe answer is the default one.
		Confirm: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes, apply")),
		Decline: key.NewBinding(key.WithKeys("n", "N", "esc", "enter"), key.WithHelp("n/esc", "no (default)")),
		Force:   key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "take fields over (force)")),

		Pick:         key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "pick a value by name")),
		FromNode:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "from node")),
		ListUp:       key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "up")),
		ListDown:     key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "down")),
		ListPageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		ListPageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		ListTop:      key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "first")),
		ListBottom:   key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "last")),
		Choose:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Cancel:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),

		Prompt: promptKeys(),
	}
}

// promptKeys are textinput's shell-like keys, named for help.
func promptKeys() textinput.KeyMap {
	k := textinput.DefaultKeyMap()
	// ctrl+v would run xclip or pbpaste; the terminal's own paste
	// arrives as a paste message and needs no key.
	k.Paste.SetEnabled(false)
	k.AcceptSuggestion.SetHelp("tab ↓/↑", "complete the line; ↓/↑ pick another suggestion")
	k.CharacterBackward.SetHelp("← → home end", "move the cursor (alt+←/→ by word, ctrl+a/e)")
	k.DeleteWordBackward.SetHelp("ctrl+w/u/k", "delete the word before, to the start, to the end")
	return k
}

// PromptHelp are the prompt keys the help screen lists.
func (k *KeyMap) PromptHelp() []key.Binding {
	p := k.Prompt
	return []key.Binding{p.AcceptSuggestion, p.CharacterBackward, p.DeleteWordBackward}
}

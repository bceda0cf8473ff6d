// Package common holds what every screen of the terminal UI shares: the
// component contract, the context passed down from the root, and the keys.
package common

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/themes"
)

// Component is a screen or widget the root composes. It reports its own
// keys so the footer and the help screen never drift from what it handles.
type Component interface {
	Update(msg tea.Msg) (Component, tea.Cmd)
	View() string
	SetSize(width, height int)
	help.KeyMap
}

// Context is shared by pointer from the root to every component, so a
// theme switch or a resize reaches them all without being threaded through
// each Update.
type Context struct {
	Styles *themes.Styles
	Keys   *KeyMap
	Width  int
	Height int
	// ReadOnly says why writes are off ("--read-only", the config
	// file), "" when they are on: screens then offer no apply, and the
	// header says read-only.
	ReadOnly string
}

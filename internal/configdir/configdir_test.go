package configdir

import (
	"path/filepath"
	"runtime"
	"testing"
)

func TestDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fallback differs on Windows")
	}
	home := t.TempDir()
	tests := []struct {
		name, env, xdg, want string
	}{
		{"override wins", "/etc/ktraffic-team", "/xdg", "/etc/ktraffic-team"},
		{"XDG_CONFIG_HOME", "", "/xdg", "/xdg/ktraffic"},
		{"relative XDG_CONFIG_HOME is ignored", "", "relative", filepath.Join(home, ".config", "ktraffic")},
		// macOS included: never ~/Library/Application Support.
		{"fallback", "", "", filepath.Join(home, ".config", "ktraffic")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("HOME", home)
			t.Setenv(Env, tt.env)
			t.Setenv("XDG_CONFIG_HOME", tt.xdg)
			got, err := Dir()
			if err != nil || got != tt.want {
				t.Errorf("Dir() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

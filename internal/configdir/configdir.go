// Package configdir finds ktraffic's configuration directory, the one
// place config.yaml and user themes are looked up.
package configdir

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// Env overrides the directory, as K9S_CONFIG_DIR does for k9s.
const Env = "KTRAFFIC_CONFIG_DIR"

// Dir is ktraffic's configuration directory: $KTRAFFIC_CONFIG_DIR when
// set, else $XDG_CONFIG_HOME/ktraffic, else ~/.config/ktraffic. It is the
// XDG rule on every OS, macOS included (os.UserConfigDir would pick
// ~/Library/Application Support there, which kubectl users do not look
// in); only Windows without XDG_CONFIG_HOME falls back to %AppData%. A
// relative XDG_CONFIG_HOME is ignored, as the XDG specification says.
func Dir() (string, error) {
	if d := os.Getenv(Env); d != "" {
		return d, nil
	}
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "ktraffic"), nil
	}
	if runtime.GOOS == "windows" {
		base, err := os.UserConfigDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(base, "ktraffic"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", errors.New("neither " + Env + ", XDG_CONFIG_HOME nor HOME is set")
	}
	return filepath.Join(home, ".config", "ktraffic"), nil
}

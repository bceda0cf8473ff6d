package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"
	"sigs.k8s.io/yaml"
)

// addWriteFlags registers --read-only on the root command, so it holds for
// the TUI and every subcommand alike.
func (a *app) addWriteFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&a.readOnlyFlag, "read-only", false, "never change the cluster: no apply, no dry run (also readOnly: true in "+configPathText()+")")
}

// userConfig is the part of the config file that ktraffic's write path
// reads; other keys belong to other features and are ignored here.
type userConfig struct {
	ReadOnly bool `json:"readOnly"`
}

func configPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "ktraffic", "config.yaml"), nil
}

func configPathText() string {
	if p, err := configPath(); err == nil {
		return p
	}
	return "<user config dir>/ktraffic/config.yaml"
}

// readOnly reports whether writes are off, and why, in words for the
// user. A config file that cannot be read counts as read-only: when the
// user's safety setting cannot be checked, the safe answer is no.
func (a *app) readOnly() (bool, string) {
	if a.readOnlyFlag {
		return true, "--read-only is set"
	}
	path, err := configPath()
	if err != nil {
		return false, ""
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, ""
	}
	if err != nil {
		return true, fmt.Sprintf("%s cannot be read (%v), so its readOnly setting cannot be checked", path, err)
	}
	var c userConfig
	if err := yaml.Unmarshal(data, &c); err != nil {
		return true, fmt.Sprintf("%s is not valid YAML (%v), so its readOnly setting cannot be checked", path, err)
	}
	if c.ReadOnly {
		return true, "readOnly: true in " + path
	}
	return false, ""
}

package themes

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/ktraffic/ktraffic/internal/configdir"
)

// userTheme is the YAML form of a theme file. Base names a built-in theme
// whose colours fill the fields the file leaves out, so a user can change
// one colour without copying the rest.
type userTheme struct {
	Base      string  `json:"base"`
	Dark      *bool   `json:"dark"`
	Text      *string `json:"text"`
	Muted     *string `json:"muted"`
	Faint     *string `json:"faint"`
	Accent    *string `json:"accent"`
	Selection *string `json:"selection"`
	Success   *string `json:"success"`
	Warning   *string `json:"warning"`
	Error     *string `json:"error"`
	Info      *string `json:"info"`
	CrossZone *string `json:"crossZone"`
	Bar       *string `json:"bar"`
}

// Dir is where user themes live: the themes folder of ktraffic's
// configuration directory (configdir.Dir).
func Dir() (string, error) {
	base, err := configdir.Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "themes"), nil
}

// Load finds a theme by name: a user file NAME.yaml in dir wins over a
// built-in of the same name, so users can retune "dark". Errors are one
// line and name the file.
func Load(name, dir string) (Theme, error) {
	if name == "" {
		name = Default
	}
	if dir != "" && !strings.ContainsAny(name, `/\`) {
		path := filepath.Join(dir, name+".yaml")
		data, err := os.ReadFile(path)
		switch {
		case err == nil:
			return parseUser(name, path, data)
		case !errors.Is(err, fs.ErrNotExist):
			return Theme{}, fmt.Errorf("theme %q: %w", name, err)
		}
	}
	if t, ok := builtin[name]; ok {
		return t, nil
	}
	return Theme{}, fmt.Errorf("unknown theme %q: built-in themes are %s; user themes go in %s", name, strings.Join(Names(), ", "), filepath.Join(dir, name+".yaml"))
}

// Available lists built-in and user theme names, sorted.
func Available(dir string) []string {
	seen := map[string]bool{}
	for _, n := range Names() {
		seen[n] = true
	}
	if entries, err := os.ReadDir(dir); err == nil && dir != "" {
		for _, e := range entries {
			if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() {
				seen[n] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func parseUser(name, path string, data []byte) (Theme, error) {
	fail := func(err error) (Theme, error) {
		msg := strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; ")
		return Theme{}, fmt.Errorf("theme file %s: %s", path, msg)
	}
	var u userTheme
	if err := yaml.UnmarshalStrict(data, &u); err != nil {
		return fail(err)
	}
	base := Default
	if u.Base != "" {
		base = u.Base
	}
	t, ok := builtin[base]
	if !ok {
		return fail(fmt.Errorf("base %q is not a built-in theme (%s)", base, strings.Join(Names(), ", ")))
	}
	t.Name = name
	if u.Dark != nil {
		t.Dark = *u.Dark
	}
	set := []struct {
		from *string
		to   *string
	}{
		{u.Text, &t.Text}, {u.Muted, &t.Muted}, {u.Faint, &t.Faint}, {u.Accent, &t.Accent},
		{u.Selection, &t.Selection}, {u.Success, &t.Success}, {u.Warning, &t.Warning},
		{u.Error, &t.Error}, {u.Info, &t.Info}, {u.CrossZone, &t.CrossZone}, {u.Bar, &t.Bar},
	}
	for _, s := range set {
		if s.from != nil {
			*s.to = *s.from
		}
	}
	if err := t.Validate(); err != nil {
		return fail(err)
	}
	return t, nil
}

package themes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuiltinsAreValid(t *testing.T) {
	for _, n := range Names() {
		th, ok := Builtin(n)
		if !ok || th.Name != n {
			t.Fatalf("builtin %q missing or misnamed", n)
		}
		if err := th.Validate(); err != nil {
			t.Errorf("%s: %v", n, err)
		}
		if NewStyles(th) == nil {
			t.Errorf("%s: no styles", n)
		}
	}
	if th, _ := Builtin("mono"); !th.Mono() {
		t.Error("mono has colours")
	}
	if th, _ := Builtin("dark"); th.Mono() {
		t.Error("dark has no colours")
	}
}

func TestUserThemes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name+".yaml"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("ocean", "base: light\naccent: \"#005f87\"\nerror: \"160\"\n")
	write("badcolour", "accent: \"#12345\"\n")
	write("badfield", "acent: \"#123456\"\n")
	write("badbase", "base: solarized\n")
	write("badyaml", "accent: [\n")
	write("dark", "accent: \"#ff00ff\"\n")

	th, err := Load("ocean", dir)
	if err != nil {
		t.Fatal(err)
	}
	light, _ := Builtin("light")
	if th.Accent != "#005f87" || th.Error != "160" || th.Text != light.Text || th.Dark || th.Name != "ocean" {
		t.Errorf("ocean = %+v", th)
	}
	if th, err := Load("dark", dir); err != nil || th.Accent != "#ff00ff" {
		t.Errorf("a user file does not override the built-in dark: %+v %v", th, err)
	}

	bad := map[string]string{
		"badcolour": `field "accent": "#12345" is not a colour`,
		"badfield":  `unknown field "acent"`,
		"badbase":   `base "solarized" is not a built-in theme`,
		"badyaml":   "badyaml.yaml",
		"missing":   `unknown theme "missing": built-in themes are dark, high-contrast, light, mono`,
	}
	for name, want := range bad {
		_, err := Load(name, dir)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want it to say %q", name, err, want)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error is not one line: %q", name, err)
		}
	}

	got := strings.Join(Available(dir), ",")
	if !strings.Contains(got, "ocean") || !strings.Contains(got, "high-contrast") {
		t.Errorf("Available = %s", got)
	}
}

func TestColourSyntax(t *testing.T) {
	for _, ok := range []string{"", "#abcdef", "#ABCDEF", "0", "15", "255"} {
		if err := checkColor(ok); err != nil {
			t.Errorf("%q rejected: %v", ok, err)
		}
	}
	for _, bad := range []string{"#abc", "#ggggggg", "#gggggg", "256", "-1", "red", "1000000"} {
		if err := checkColor(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

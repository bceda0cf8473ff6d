package cli

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set by the release build (.goreleaser.yaml) with -X; a plain go build or
// go install leaves them empty and the build info answers instead.
var (
	version string
	commit  string
	date    string
)

// buildInfo is what `ktraffic version -o json` prints.
type buildInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit,omitempty"`
	Date      string `json:"date,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
	GoVersion string `json:"goVersion"`
	ClientGo  string `json:"clientGoVersion,omitempty"`
	Platform  string `json:"platform"`
}

// readBuildInfo fills in what the linker flags did not say from the
// build info the Go toolchain embeds: the module version (go install
// …@v1.2.3), the VCS revision and time (a build in a git checkout), and
// client-go's version from the dependency list.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Commit: commit, Date: date, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	info, ok := debug.ReadBuildInfo()
	if ok {
		if b.Version == "" && info.Main.Version != "" {
			b.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
		for _, d := range info.Deps {
			if d.Path == "k8s.io/client-go" {
				b.ClientGo = d.Version
				if d.Replace != nil {
					b.ClientGo = d.Replace.Version
				}
			}
		}
	}
	if b.Version == "" {
		b.Version = "(devel)"
	}
	return b
}

// short is the one line --version prints.
func (b buildInfo) short() string {
	s := b.Version
	if b.Commit != "" {
		c := b.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		s += " (" + c
		if b.Modified {
			s += ", modified"
		}
		s += ")"
	}
	return s
}

func (b buildInfo) write(w io.Writer, name string) error {
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-11s%s\n", k+":", v)
		}
	}
	fmt.Fprintf(w, "%s %s\n", name, b.Version)
	commit := b.Commit
	if b.Modified {
		commit += " (modified)"
	}
	row("commit", commit)
	row("built", b.Date)
	row("go", b.GoVersion)
	row("client-go", b.ClientGo)
	row("platform", b.Platform)
	return nil
}

// NewCmdVersion is `ktraffic version`.
func NewCmdVersion(f *Factory) *cobra.Command {
	var out outputFlag
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, the commit it was built from, and the Go and client-go versions",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := out.check(); err != nil {
				return err
			}
			b := readBuildInfo()
			if out.format == "table" {
				return b.write(f.IO.Out, "ktraffic")
			}
			return writeData(f.IO.Out, out.format, b)
		},
	}
	out.add(cmd, "table", "json", "yaml")
	return cmd
}

package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ktraffic/ktraffic/ui"
)

// TestFileOptions: the TUI gets a dump through its feed, as one snapshot
// after progress lines, and a dump that cannot be read ends the program
// with the CLI's error instead of a screen about clusters.
func TestFileOptions(t *testing.T) {
	stopped, stop := context.WithCancel(context.Background())
	stop() // Quit on a program that is not running returns at once
	p := tea.NewProgram(nil, tea.WithContext(stopped))

	a := newFactory(strings.NewReader(""), nil, nil)
	a.files = []string{repoRoot + "/k8s/testdata/list.yaml"}
	var opts ui.Options
	failed := (&tuiRun{a}).fileOptions(context.Background(), &dataSource{kind: sourceFiles, files: a.files}, &opts, make(chan error, 1))(p)
	if !opts.OneShot || opts.Source != "file:"+repoRoot+"/k8s/testdata/list.yaml" {
		t.Errorf("options %+v", opts)
	}
	var lines []string
	for l := range opts.Progress {
		lines = append(lines, l)
	}
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "Reading "+repoRoot+"/k8s/testdata/list.yaml") {
		t.Errorf("progress lines %q", lines)
	}
	snap, ok := <-opts.Updates
	if !ok || snap == nil || len(snap.Services) != 1 {
		t.Fatalf("snapshot %+v", snap)
	}
	if _, open := <-opts.Updates; open {
		t.Error("the feed stays open after the one snapshot")
	}
	select {
	case err := <-failed:
		t.Errorf("failure %v", err)
	default:
	}

	a.files = []string{repoRoot + "/k8s/testdata/malformed.yaml"}
	opts = ui.Options{}
	failed = (&tuiRun{a}).fileOptions(context.Background(), &dataSource{kind: sourceFiles, files: a.files}, &opts, make(chan error, 1))(p)
	select {
	case err := <-failed:
		if !strings.Contains(err.Error(), "malformed.yaml: line 15: invalid YAML") {
			t.Errorf("failure %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no failure reported")
	}
}

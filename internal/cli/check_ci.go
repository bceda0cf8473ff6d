package cli

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ktraffic/ktraffic/model"
	"github.com/ktraffic/ktraffic/report"
)

// writeCheckNames is -o name: the Services with a finding shown, as
// service/NAME the way kubectl names objects.
func writeCheckNames(w io.Writer, results []checkResult) error {
	for _, r := range results {
		if len(r.Findings) == 0 && r.Error == "" {
			continue
		}
		_, name, _ := strings.Cut(r.Service, "/")
		if _, err := fmt.Fprintf(w, "service/%s\n", name); err != nil {
			return err
		}
	}
	return nil
}

// SARIF 2.1.0 (OASIS), the subset CI code-scanning reads: one run, one
// rule per finding code, one result per finding and Service.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	DefaultConfiguration sarifConfig  `json:"defaultConfiguration"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID     string          `json:"ruleId"`
	Level      string          `json:"level"`
	Message    sarifMessage    `json:"message"`
	Locations  []sarifLocation `json:"locations"`
	Properties map[string]any  `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// sarifLevel maps a finding level onto SARIF's: error and warning fail
// when --fail-on says so, the rest are notes; unknown is "none", as it
// is never a finding against the cluster, only against the input.
func sarifLevel(l, failOn model.Level) string {
	switch {
	case l == model.LevelUnknown:
		return "none"
	case fails(l, failOn) || l == model.LevelError:
		return "error"
	case l == model.LevelWarning:
		return "warning"
	}
	return "note"
}

// writeSARIF writes the check as SARIF 2.1.0. Each result names the
// Service as a logical location; when the input is one dump file (-f),
// that file is its physical location, so CI can annotate it.
func writeSARIF(w io.Writer, snap *model.Snapshot, results []checkResult, opts *CheckOptions) error {
	var artifact *sarifPhysical
	if len(opts.Files) == 1 && opts.Files[0] != "-" {
		artifact = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: filepath.ToSlash(opts.Files[0])}}
	}
	rules := map[string]model.Level{}
	run := sarifRun{Results: []sarifResult{}}
	add := func(r checkResult, level model.Level, code, message string, sources []model.TrafficSource) {
		if prev, ok := rules[code]; !ok || level.Rank() > prev.Rank() {
			rules[code] = level
		}
		ns, name, _ := strings.Cut(r.Service, "/")
		res := sarifResult{
			RuleID:  code,
			Level:   sarifLevel(level, opts.FailOn),
			Message: sarifMessage{Text: fmt.Sprintf("Service %s (%s): %s", r.Service, r.Type, message)},
			Locations: []sarifLocation{{
				PhysicalLocation: artifact,
				LogicalLocations: []sarifLogical{{Name: name, FullyQualifiedName: "service/" + ns + "/" + name, Kind: "resource"}},
			}},
			Properties: map[string]any{"ktrafficLevel": level, "source": snap.Source},
		}
		if len(sources) > 0 {
			res.Properties["trafficSources"] = report.SourcesText(sources, r.Type)
		}
		run.Results = append(run.Results, res)
	}
	for _, r := range results {
		if r.Error != "" {
			add(r, model.LevelError, "PredictionFailed", r.Error, nil)
		}
		for _, f := range r.Findings {
			add(r, f.Level, f.Code, f.Message, f.Sources)
		}
	}
	codes := make([]string, 0, len(rules))
	for c := range rules {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	run.Tool.Driver = sarifDriver{Name: "ktraffic", Version: readBuildInfo().Version, InformationURI: "https://github.com/ktraffic/ktraffic"}
	run.Tool.Driver.Rules = []sarifRule{}
	for _, c := range codes {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: c, ShortDescription: sarifMessage{Text: c}, DefaultConfiguration: sarifConfig{Level: sarifLevel(rules[c], opts.FailOn)}})
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	data, err := json.MarshalIndent(log, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// JUnit XML, as CI systems read test reports: one test case per Service,
// failed by its findings at --fail-on and above; the others are its
// output.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	ClassName string         `xml:"classname,attr"`
	Name      string         `xml:"name,attr"`
	Failures  []junitFailure `xml:"failure"`
	SystemOut string         `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

func writeJUnit(w io.Writer, snap *model.Snapshot, results []checkResult, failOn model.Level) error {
	suite := junitSuite{Name: "ktraffic check " + snap.Source}
	for _, r := range results {
		ns, name, _ := strings.Cut(r.Service, "/")
		c := junitCase{ClassName: ns, Name: name + " (" + string(r.Type) + ")"}
		var out []string
		if r.Error != "" && fails(model.LevelError, failOn) {
			c.Failures = append(c.Failures, junitFailure{Type: "PredictionFailed", Message: r.Error, Text: r.Error})
		} else if r.Error != "" {
			out = append(out, "error PredictionFailed: "+r.Error)
		}
		for _, f := range r.Findings {
			line := fmt.Sprintf("%s %s (from %s): %s", f.Level, f.Code, report.SourcesText(f.Sources, r.Type), f.Message)
			if fails(f.Level, failOn) {
				c.Failures = append(c.Failures, junitFailure{Type: f.Code, Message: string(f.Level) + ": " + f.Message, Text: line})
				continue
			}
			out = append(out, line)
		}
		c.SystemOut = strings.Join(out, "\n")
		suite.Tests++
		if len(c.Failures) > 0 {
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, c)
	}
	doc := junitSuites{Name: "ktraffic check", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	data, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s%s\n", xml.Header, data)
	return err
}

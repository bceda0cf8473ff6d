package report

import (
	"io"
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

// DiffMarkdown writes a what-if as GitHub-flavoured Markdown for a change
// ticket or a pull-request comment: the same rows and sentences as
// DiffTable, with the one source's detail folded under <details>.
func DiffMarkdown(w io.Writer, wi *model.WhatIf, whatIf []string) error {
	ew := &errWriter{w: w}
	before, after, d := wi.Before, wi.After, wi.Diff
	ew.printf("### Traffic change: `%s` (%s)\n\n", mdCode(before.Service), mdText(typeText(before)))
	codes := make([]string, len(whatIf))
	for i, s := range whatIf {
		codes[i] = "`" + mdCode(s) + "`"
	}
	ew.printf("**What-if:** %s\n", strings.Join(codes, ", "))
	for _, a := range wi.AlreadySet {
		ew.printf("\n**Already:** %s\n", mdText(AlreadySetText(a)))
	}
	for _, node := range wi.Cordoned {
		ew.printf("\n**Cordon:** %s\n", mdText(model.CordonText(node)))
	}
	if !wi.Changed() {
		ew.printf("\nNo change: the what-if spreads traffic exactly as today, from every source.\n")
		return ew.err
	}
	ew.printf("\n")
	mdTable(ew, SourceChangeCells(wi.Sources))
	if worst := wi.Worst(); worst != nil {
		ew.printf("\n**%s:** %s\n", EffectLabel(*worst), mdText(Effect(*worst)))
	}
	if t := wi.Transition; t != nil {
		ew.printf("\n**Meanwhile:** %s\n", mdText(TransitionText(t)))
	}
	if !d.Changed() {
		ew.printf("\nFrom %s: no change for this source.\n", mdText(before.Source.String()))
		return ew.err
	}
	ew.printf("\n<details><summary>From %s%s: nodes and pods</summary>\n\n", mdText(before.Source.String()), mdText(lbModeText(before)))
	mdTable(ew, totalsCells(before, after, d))
	if len(d.Nodes) > 0 {
		ew.printf("\n")
		mdTable(ew, NodeChangeCells(before, after, d))
	}
	if len(d.Endpoints) > 0 {
		ew.printf("\n")
		mdTable(ew, PodChangeCells(d))
	}
	ew.printf("\n</details>\n")
	mdFindings(ew, "Findings that appear", d.FindingsAppeared)
	mdFindings(ew, "Findings that clear", d.FindingsCleared)
	return ew.err
}

func mdFindings(ew *errWriter, title string, fs []model.Finding) {
	if len(fs) == 0 {
		return
	}
	ew.printf("\n**%s:**\n\n", title)
	for _, f := range fs {
		ew.printf("- **%s** `%s`: %s\n", f.Level, mdCode(f.Code), mdText(f.Message))
	}
}

// mdTable writes rows as a Markdown table, the first row its header.
func mdTable(ew *errWriter, rows [][]string) {
	if len(rows) == 0 {
		return
	}
	line := func(cells []string) {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = mdText(strings.TrimSpace(c))
		}
		ew.printf("| %s |\n", strings.Join(out, " | "))
	}
	line(rows[0])
	ew.printf("|%s\n", strings.Repeat("---|", len(rows[0])))
	for _, r := range rows[1:] {
		line(r)
	}
}

// mdText escapes what Markdown would read as markup or a table cell's end;
// the text comes from a cluster or a dump, so none of it may turn into a
// link, an image or HTML in a rendered comment.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "#", `\#`, "\n", " ",
)

func mdText(s string) string { return mdEscaper.Replace(model.Printable(s)) }

// mdCode is text for inside backticks: only a backtick needs care there.
func mdCode(s string) string {
	return strings.ReplaceAll(model.Printable(s), "`", "'")
}

package common

import (
	"strings"

	"github.com/ktraffic/ktraffic/model"
)

// tuiWords rewrites the CLI's vocabulary into the terminal UI's. The
// model's errors are shared with the CLI, so they name its flags
// (--from, --set, --drill); in the UI the same choice is the ":from"
// command, a what-if panel row or a drill row.
var tuiWords = strings.NewReplacer(
	"valid: "+model.ValidSources, "Tab after :from lists the valid sources",
	"--from ", ":from ",
	"--set ", "",
	"--drill ", "drill ",
)

// TUIWords is a message from the model or the cluster said in the UI's
// words: ":from lb", never "--from lb".
func TUIWords(msg string) string { return tuiWords.Replace(msg) }

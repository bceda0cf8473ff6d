package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"k8s.io/client-go/util/jsonpath"
	"sigs.k8s.io/yaml"
)

// errGoTemplate refuses -o go-template. It costs 27 MB: text/template's
// Execute calls methods by name through reflection, so once a template
// can run, the linker keeps every exported method of every type in the
// binary (35.1 MB static and stripped without it, 62.1 MB with it, past
// the 45 MB scripts/check-size.sh allows). JSONPath reads the same data.
var errGoTemplate = errors.New("-o go-template is not supported: Go templates would nearly double the binary (35 to 62 MB); use -o jsonpath='{.field}' or -o json | jq")

// writeData writes v as indented JSON, as YAML with the same field names,
// or through a JSONPath expression (-o jsonpath=EXPR) over the JSON form,
// as kubectl does.
func writeData(w io.Writer, format string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if expr, ok := strings.CutPrefix(format, "jsonpath="); ok {
		return writeJSONPath(w, expr, data)
	}
	if format == "yaml" {
		if data, err = yaml.JSONToYAML(data); err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// parseJSONPath parses an expression as kubectl does: braces optional
// ({.service} or .service), missing keys an error rather than silence.
func parseJSONPath(expr string) (*jsonpath.JSONPath, error) {
	if !strings.Contains(expr, "{") {
		expr = "{" + expr + "}"
	}
	jp := jsonpath.New("output")
	if err := jp.Parse(expr); err != nil {
		return nil, usagef("-o jsonpath: %v", err)
	}
	return jp, nil
}

func writeJSONPath(w io.Writer, expr string, data []byte) error {
	jp, err := parseJSONPath(expr)
	if err != nil {
		return err
	}
	var obj any
	if err := json.Unmarshal(data, &obj); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := jp.Execute(&buf, obj); err != nil {
		return fmt.Errorf("-o jsonpath: %v", err)
	}
	if buf.Len() > 0 && !bytes.HasSuffix(buf.Bytes(), []byte("\n")) {
		buf.WriteByte('\n')
	}
	_, err = w.Write(buf.Bytes())
	return err
}

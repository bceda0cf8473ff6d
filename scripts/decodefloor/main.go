// Command decodefloor is the floor scripts/bench-load.sh measures ktraffic
// against: a program that only decodes the same file, with the standard
// library's encoding/json into generic values, and does nothing else.
//
//	go run ./scripts/decodefloor dump.json
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: decodefloor FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "decodefloor:", err)
		os.Exit(1)
	}
	defer f.Close()
	var v any
	if err := json.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&v); err != nil {
		fmt.Fprintln(os.Stderr, "decodefloor:", err)
		os.Exit(1)
	}
	items := 0
	if m, ok := v.(map[string]any); ok {
		if l, ok := m["items"].([]any); ok {
			items = len(l)
		}
	}
	fmt.Println(items, "items")
}

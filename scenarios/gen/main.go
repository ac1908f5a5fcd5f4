// Command gen writes the parameter reference, docs/parameters.md, from
// scenarios.ParamsMarkdown. Run it from the module root with
//
//	go generate ./scenarios
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/retsim/retsim/scenarios"
)

func main() {
	out := flag.String("o", "docs/parameters.md", "file to write")
	flag.Parse()
	if err := os.WriteFile(*out, []byte(scenarios.ParamsMarkdown()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

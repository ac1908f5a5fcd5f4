package scenarios_test

import (
	"os"
	"strings"
	"testing"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

func TestParametersDocIsUpToDate(t *testing.T) {
	b, err := os.ReadFile("../docs/parameters.md")
	if err != nil || string(b) != scenarios.ParamsMarkdown() {
		t.Fatalf("docs/parameters.md is stale or missing (%v); regenerate it with: go generate ./scenarios", err)
	}
}

func TestParamsMarkdownHasARowPerParameter(t *testing.T) {
	md := scenarios.ParamsMarkdown()
	for _, p := range sim.Params {
		row := "| `" + p.Key + "` | " + p.Type() + " |"
		if strings.Count(md, row) != 1 {
			t.Errorf("want one row starting %q", row)
		}
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A comparison with uncertain parameters writes the figures with the
// assumptions drawn and held at their central values, the draws, the
// drivers and, with --flip, the flip values.
func TestCompareWithAssumptions(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := cli(t, append([]string{"compare", "taking", "giving-uncertain", "--flip", "switching.cost", "--out", out}, small...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"uncertainty.csv", "assumptions.csv", "drivers.csv", "flip.csv", "drivers.png", "drivers.svg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written", f)
		}
	}
	rows := readCSVFile(t, filepath.Join(out, "uncertainty.csv"))
	if len(rows) != 2*7 || rows[0]["assumptions"] != "drawn" || rows[1]["assumptions"] != "central" || rows[0]["reference"] != "taking" {
		t.Errorf("uncertainty.csv: %d rows, first %v", len(rows), rows[0])
	}
	if n := len(readCSVFile(t, filepath.Join(out, "assumptions.csv"))); n != 3*3 {
		t.Errorf("assumptions.csv: %d rows, want 3 replications x 3 parameters", n)
	}
	if f := readCSVFile(t, filepath.Join(out, "flip.csv")); len(f) != 1 || f[0]["parameter"] != "switching.cost" {
		t.Errorf("flip.csv: %v", f)
	}
	for _, want := range []string{"How sure", "Which assumptions drive", "What would flip the verdict", "switching.cost"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("terminal output lacks %q", want)
		}
	}
	if !strings.Contains(stderr, "do not share these assumptions") || !strings.Contains(stderr, "switching.cost (drawn in giving-uncertain only)") {
		t.Errorf("stderr %q does not say that taking holds the assumptions fixed", stderr)
	}
	summary, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if !strings.Contains(string(summary), `"dist": "triangular"`) {
		t.Error("summary.json does not record the distributions")
	}
}

// --flip all needs a parameter with a distribution.
func TestFlipAllNeedsAnAssumption(t *testing.T) {
	code, _, stderr := cli(t, append([]string{"compare", "taking", "giving", "--flip", "all", "--out", t.TempDir()}, small...)...)
	if code != exitUsage || !strings.Contains(stderr, "neither taking nor giving has an uncertain parameter") {
		t.Errorf("exit %d, stderr %q; want a usage error", code, stderr)
	}
}

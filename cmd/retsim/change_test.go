package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A scenario compared with itself plus one change is labelled with the
// change in the outputs, and a bad change is a usage error naming the key
// and its allowed range, for every command that takes a scenario.
func TestScenarioChangesOnTheCommandLine(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := cli(t, append([]string{"compare", "baseline", "baseline+policy.giving=1", "--out", out}, small...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "baseline+policy.giving=1") {
		t.Errorf("the console does not name baseline+policy.giving=1:\n%s", stdout)
	}
	rows := readCSVFile(t, filepath.Join(out, "comparison.csv"))
	if len(rows) == 0 || rows[0]["scenario"] != "baseline+policy.giving=1" || rows[0]["reference"] != "baseline" {
		t.Errorf("comparison.csv: first row %v, want scenario baseline+policy.giving=1 against baseline", rows[0])
	}
	for _, args := range [][]string{
		{"run", "baseline+policy.giving=7"},
		{"compare", "baseline", "baseline+policy.giving=7"},
		{"sweep", "baseline+policy.giving=7", "--param", "churn.alpha=0.5:1:2"},
		{"sweep", "baseline", "--param", "churn.alpha=0.5:1:2", "--against", "baseline+policy.giving=7"},
		{"sensitivity", "baseline+policy.giving=7", "--params", "churn.alpha"},
		{"scenarios", "show", "baseline+policy.giving=7"},
		{"validate", "baseline+policy.giving=7"},
	} {
		code, _, stderr := cli(t, append(append(args, "--out", t.TempDir()), small...)...)
		if args[0] == "scenarios" || args[0] == "validate" {
			code, _, stderr = cli(t, args...)
		}
		if want := "policy.giving: must be in [0, 1], got 7"; code != exitUsage || !strings.Contains(stderr, want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", args, code, stderr, exitUsage, want)
		}
	}
}

// sweep --against a scenario equal to one grid point: at that point every
// paired difference in sweep.csv is exactly 0 and no replication beats it.
func TestSweepAgainstAGridPoint(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := cli(t, append([]string{"sweep", "baseline", "--param", "policy.giving=0:1:3", "--against", "baseline+policy.giving=0.5", "--out", out}, small...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "minus baseline+policy.giving=0.5") {
		t.Errorf("the console does not say what the differences are:\n%s", stdout)
	}
	rows := readCSVFile(t, filepath.Join(out, "sweep.csv"))
	if len(rows) != 3*7 {
		t.Fatalf("sweep.csv: %d rows, want 3 points x 7 outcomes", len(rows))
	}
	nonzero := 0
	for _, r := range rows {
		zero := r["mean_diff"] == "0" && r["ci95_low"] == "0" && r["ci95_high"] == "0" && r["p_beats"] == "0"
		if r["policy.giving"] == "0.5" && !zero {
			t.Errorf("at policy.giving 0.5, %s: mean_diff %s [%s, %s], p_beats %s; want exactly 0", r["outcome"], r["mean_diff"], r["ci95_low"], r["ci95_high"], r["p_beats"])
		}
		if r["policy.giving"] != "0.5" && r["mean_diff"] != "0" {
			nonzero++
		}
		if r["reference"] != "baseline+policy.giving=0.5" {
			t.Errorf("reference %q", r["reference"])
		}
	}
	if nonzero == 0 {
		t.Error("every difference is 0, also away from the reference")
	}
}

// notFixedPoint matches a number in e-notation or with a k or M suffix.
var notFixedPoint = regexp.MustCompile(`\d(\.\d+)?([eE][+-]?\d|[kM]\b)`)

// The sweep's console table writes every number fixed-point, with the
// same decimals throughout a cell, against a reference too; values in the
// millions included.
func TestSweepConsoleIsFixedPoint(t *testing.T) {
	for _, extra := range [][]string{nil, {"--against", "taking"}} {
		args := append([]string{"sweep", "baseline", "--param", "pricing.list_price=30:3000:2", "--out", t.TempDir()}, small...)
		code, stdout, stderr := cli(t, append(args, extra...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", extra, code, stderr)
		}
		if m := notFixedPoint.FindString(stdout); m != "" {
			t.Errorf("%v: %q in the console table:\n%s", extra, m, stdout)
		}
		if !regexp.MustCompile(`\d{1,3}(,\d{3}){2}`).MatchString(stdout) {
			t.Errorf("%v: no number in the millions with thousands separators:\n%s", extra, stdout)
		}
		for _, cell := range regexp.MustCompile(`[-+]?[\d,]+(\.\d+)? \[[-+]?[\d,]+(\.\d+)?, [-+]?[\d,]+(\.\d+)?\]`).FindAllString(stdout, -1) {
			decimals := map[int]bool{}
			for _, n := range regexp.MustCompile(`\d[\d,]*(\.\d+)?`).FindAllString(cell, -1) {
				_, frac, _ := strings.Cut(n, ".")
				decimals[len(frac)] = true
			}
			if len(decimals) != 1 {
				t.Errorf("%v: cell %q mixes styles", extra, cell)
			}
		}
	}
}

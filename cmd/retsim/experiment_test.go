package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// designDir writes a small scenario and a design file over it into a new
// directory and returns the design file's path.
func designDir(t *testing.T, design string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"small.yaml":  "extends: baseline\npopulation:\n  initial: 100\nhorizon:\n  periods: 6\n",
		"design.yaml": design,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "design.yaml")
}

const saltelliDesign = `scenario: small.yaml
design: saltelli
samples: 2
replications: 2
outcomes: [cumulative_profit, final_nps]
bootstrap: 100
params:
  policy.giving:
  service.self_cost: {min: 0, max: 5}
`

// TestExperimentSameBytesForWorkers runs a Saltelli experiment with one
// and two workers: every file but the index (which records the command
// line) has the same bytes.
func TestExperimentSameBytesForWorkers(t *testing.T) {
	design := designDir(t, saltelliDesign)
	var outs []string
	for _, w := range []string{"1", "2"} {
		out := t.TempDir()
		code, stdout, stderr := cli(t, "experiment", design, "--out", out, "--workers", w, "--per-replication")
		if code != exitOK {
			t.Fatalf("--workers %s: exit %d: %s", w, code, stderr)
		}
		if !strings.Contains(stdout, "Sobol indices of cumulative_profit") {
			t.Errorf("no indices printed:\n%s", stdout)
		}
		outs = append(outs, out)
	}
	for _, name := range []string{"experiment.csv", "replications.csv", "sobol.csv", "sobol.png", "sobol.svg"} {
		a, errA := os.ReadFile(filepath.Join(outs[0], name))
		b, errB := os.ReadFile(filepath.Join(outs[1], name))
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v, %v", name, errA, errB)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between 1 and 2 workers", name)
		}
	}
	// 2 x (2 + 2) points, 2 outcomes; 2 replications each.
	if n := countLines(t, filepath.Join(outs[0], "experiment.csv")); n != 1+8*2 {
		t.Errorf("experiment.csv has %d lines, want %d", n, 1+8*2)
	}
	if n := countLines(t, filepath.Join(outs[0], "replications.csv")); n != 1+8*2*2 {
		t.Errorf("replications.csv has %d lines, want %d", n, 1+8*2*2)
	}
}

func countLines(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte("\n"))
}

// TestExperimentFlagsOverrideTheFile checks that --replications beats the
// design file and that a factorial design writes no Sobol files.
func TestExperimentFlagsOverrideTheFile(t *testing.T) {
	design := designDir(t, "scenario: small.yaml\ndesign: factorial\nreplications: 2\nparams:\n  policy.giving: {values: [0, 1]}\n  switching.cost: {min: 0, max: 0.5, steps: 2}\n")
	out := t.TempDir()
	code, _, stderr := cli(t, "experiment", design, "--out", out, "--replications", "3")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "experiment.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "\n3,1,0.5,value,currency,3,") {
		t.Errorf("experiment.csv lacks point 3 (giving 1, switching 0.5) with 3 replications:\n%s", b)
	}
	for _, name := range []string{"sobol.csv", "sobol.png", "replications.csv"} {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			t.Errorf("%s written for a factorial design without --per-replication", name)
		}
	}
}

// TestExperimentBadDesign checks that a faulty design file is refused
// with exit status 2, one line naming the file and key, and nothing
// written.
func TestExperimentBadDesign(t *testing.T) {
	design := designDir(t, strings.Replace(saltelliDesign, "samples: 2", "samples: two", 1))
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := cli(t, "experiment", design, "--out", out)
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if want := design + ": samples: line 3: must be a whole number"; !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q, want one line with %q", stderr, want)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("--out created for a refused design")
	}
}

package experiment

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// writeDesign writes text to design.yaml in a new directory.
func writeDesign(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "design.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReadSpec checks a complete design file.
func TestReadSpec(t *testing.T) {
	path := writeDesign(t, `
scenario: my.yaml
description: which costs matter
design: saltelli
samples: 16
replications: 3
seed: 18446744073709551615
outcomes: [value, final_nps]
bootstrap: 200
params:
  policy.giving:
  pricing.list_price: {min: 10, max: 100, spacing: log}
`)
	s, err := ReadSpec(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind != Saltelli || s.Samples != 16 || s.Replications != 3 || *s.Seed != 1<<64-1 || s.Resamples != 200 ||
		len(s.Outcomes) != 2 || len(s.Params) != 2 || s.Params[0].Key != "policy.giving" || !s.Params[1].Log || *s.Params[1].Max != 100 {
		t.Errorf("spec %+v", s)
	}
	if want := filepath.Join(filepath.Dir(path), "my.yaml"); s.ScenarioRef() != want {
		t.Errorf("scenario %s, want %s", s.ScenarioRef(), want)
	}
}

// TestDesignFileErrors checks that each fault is one line naming the
// file, the key and what is wrong, whether found reading the file or
// laying out the plan over its scenario.
func TestDesignFileErrors(t *testing.T) {
	const head = "scenario: baseline\ndesign: lhs\nsamples: 4\n"
	for _, c := range []struct {
		name, text, key, msg string
	}{
		{"directory", "", "", "not a regular file"},
		{"missing", "", "", "no such file"},
		{"unknown key", head + "sample: 3\nparams: {policy.giving: }\n", "sample", "unknown key"},
		{"twice", head + "samples: 5\nparams: {policy.giving: }\n", "samples", "given twice"},
		{"wrong type", head + "replications: many\nparams: {policy.giving: }\n", "replications", `must be a whole number, got "many"`},
		{"fraction", head + "replications: 2.5\nparams: {policy.giving: }\n", "replications", "must be a whole number"},
		{"NaN", head + "params: {policy.giving: {min: .nan, max: 1}}\n", "params.policy.giving.min", "must be a finite number, got .nan"},
		{"infinite", head + "params: {policy.giving: {min: 0, max: .inf}}\n", "params.policy.giving.max", "must be a finite number"},
		{"unknown param", head + "params: {policy.givng: }\n", "params.policy.givng", "unknown parameter"},
		{"seed varied", head + "params: {seed: }\n", "params.seed", "cannot be varied"},
		{"unknown field", head + "params: {policy.giving: {mn: 0}}\n", "params.policy.giving.mn", "unknown key; use values, min, max, steps, spacing"},
		{"design kind", "scenario: baseline\ndesign: sobol\nparams: {policy.giving: }\n", "design", "must be one of factorial, lhs or saltelli"},
		{"no samples", "scenario: baseline\ndesign: lhs\nparams: {policy.giving: }\n", "samples", "missing"},
		{"no params", head, "params", "missing"},
		{"comments only", "# nothing yet\n", "", "the file holds no keys"},
		{"null document", "---\n~\n", "", "the file holds no keys"},
		{"not a mapping", "- scenario: baseline\n", "", "the top level must be keys with values"},
		{"bootstrap range", "scenario: baseline\ndesign: saltelli\nsamples: 4\nbootstrap: 5\nparams: {policy.giving: }\n", "bootstrap", "in [100, 100000]"},
		{"spacing", head + "params: {policy.giving: {spacing: cubic}}\n", "params.policy.giving.spacing", "must be linear or log"},
		// Found when the plan is laid out over the scenario.
		{"out of range", head + "params: {policy.giving: {min: 0, max: 2}}\n", "params.policy.giving", "must be in [0, 1], got 2"},
		{"no natural range", head + "params: {pricing.list_price: }\n", "params.pricing.list_price", "give min and max"},
		{"values sampled", head + "params: {policy.giving: {values: [0, 1]}}\n", "params.policy.giving", "belong to a factorial design"},
		{"whole sampled", head + "params: {horizon.periods: {min: 12, max: 24}}\n", "params.horizon.periods", "only in a factorial design"},
		{"log from zero", head + "params: {policy.giving: {spacing: log}}\n", "params.policy.giving", "log needs min > 0"},
		{"one end", head + "params: {policy.giving: {min: 0.2}}\n", "params.policy.giving", "give both min and max"},
		{"factorial without steps", "scenario: baseline\ndesign: factorial\nparams: {policy.giving: }\n", "params.policy.giving", "needs values, or steps"},
		{"factorial value", "scenario: baseline\ndesign: factorial\nparams: {policy.giving: {values: [0, 1.5]}}\n", "params.policy.giving", "values[1]: must be in [0, 1], got 1.5"},
		{"too many points", "scenario: baseline\ndesign: factorial\nparams:\n  policy.giving: {steps: 100}\n  policy.generosity: {steps: 100}\n  policy.people: {steps: 100}\n", "params", "more than 100000 points"},
		{"saltelli too wide", "scenario: baseline\ndesign: saltelli\nsamples: 2\nparams: {" + manyParams(21) + "}\n", "params", "at most 20 parameters, got 21"},
		{"outcome", head + "outcomes: [profit]\nparams: {policy.giving: }\n", "outcomes[0]", `unknown outcome "profit"`},
	} {
		path := writeDesign(t, c.text)
		switch c.name {
		case "directory":
			path = filepath.Dir(path)
		case "missing":
			path += ".gone"
		}
		s, err := ReadSpec(context.Background(), path)
		if err == nil {
			_, err = s.Plan("baseline", sim.Default())
		}
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		msg := err.Error()
		prefix := path + ": " + c.key + ": "
		if c.key == "" {
			prefix = path + ": "
		}
		if !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, c.msg) || strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q, want %q then %q on one line", c.name, msg, prefix, c.msg)
		}
	}
}

// TestExampleDesignFiles checks that every design file in examples/ reads
// and lays out over its scenario.
func TestExampleDesignFiles(t *testing.T) {
	paths, err := filepath.Glob("../examples/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no example design file: %v", err)
	}
	for _, path := range paths {
		s, err := ReadSpec(context.Background(), path)
		if err != nil {
			t.Error(err)
			continue
		}
		sc, err := scenarios.Load(s.ScenarioRef(), scenarios.Sources{})
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if _, err := s.Plan(sc.Name, sc.Config); err != nil {
			t.Error(err)
		}
	}
}

// manyParams is n probabilities of sim.Params as flow-style design
// params, each with its default range.
func manyParams(n int) string {
	var keys []string
	for _, p := range sim.Params {
		if p.Min == 0 && p.Max == 1 && !p.Whole && len(keys) < n {
			keys = append(keys, p.Key+": ")
		}
	}
	return strings.Join(keys, ", ")
}

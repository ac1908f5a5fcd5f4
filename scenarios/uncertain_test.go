package scenarios_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// uncertainCases are bad distributions, each a one-line error naming the
// file and the key uncertain.<parameter>; TestBadInputs runs them.
var uncertainCases = []badCase{
	inFile("uncertain min above max", "uncertain:\n  pricing.list_price: {dist: uniform, min: 40, max: 20}\n", "uncertain.pricing.list_price", "min (40) must be below max (20)"),
	inFile("uncertain mode outside", "uncertain:\n  goodwill.negativity_bias: {dist: triangular, min: 1.5, mode: 4, max: 3}\n", "uncertain.goodwill.negativity_bias", "mode (4) must be in [min, max]"),
	inFile("uncertain unknown parameter", "uncertain:\n  pricing.lisst_price: {dist: uniform, min: 1, max: 2}\n", "uncertain.pricing.lisst_price", "did you mean pricing.list_price?"),
	inFile("uncertain whole-number parameter", "uncertain:\n  population.initial: {dist: uniform, min: 1, max: 2}\n", "uncertain.population.initial", "whole-number parameter"),
	inFile("uncertain outside the allowed range", "uncertain:\n  goodwill.negativity_bias: {dist: uniform, min: 0.5, max: 3}\n", "uncertain.goodwill.negativity_bias", "min 0.5 is outside the parameter's allowed range (>= 1"),
	inFile("uncertain unknown dist", "uncertain:\n  switching.cost: {dist: gamma, min: 0, max: 1}\n", "uncertain.switching.cost", `unknown dist "gamma"`),
	inFile("uncertain missing field", "uncertain:\n  switching.cost: {dist: triangular, min: 0, max: 1}\n", "uncertain.switching.cost", "dist triangular needs min, mode, max"),
	inFile("uncertain missing dist", "uncertain:\n  switching.cost: {min: 0, max: 1}\n", "uncertain.switching.cost", "needs dist"),
	inFile("uncertain field of another dist", "uncertain:\n  switching.cost: {dist: uniform, min: 0, max: 1, mode: 0.5}\n", "uncertain.switching.cost", "dist uniform takes min, max, got mode"),
	inFile("uncertain text for a number", "uncertain:\n  switching.cost: {dist: uniform, min: abc, max: 1}\n", "uncertain.switching.cost", `min must be a number, got text "abc"`),
	inFile("uncertain number for a distribution", "uncertain:\n  switching.cost: 0.5\n", "uncertain.switching.cost", "must be a distribution"),
	inFile("uncertain value and distribution", "switching.cost: 0.5\nuncertain:\n  switching.cost: {dist: uniform, min: 0, max: 1}\n", "uncertain.switching.cost", "given both a value and a distribution"),
	inFile("uncertain not a mapping", "uncertain: 3\n", "uncertain", "must map parameter keys to distributions"),
	inFile("uncertain bad weights", "uncertain:\n  switching.cost: {dist: discrete, values: [0.1, 0.2], weights: [1]}\n", "uncertain.switching.cost", "weights must be as many as values"),
}

func init() { badCases = append(badCases, uncertainCases...) }

// keys is the keys of the scenario's assumptions, in order.
func keys(s *scenarios.Scenario) []string {
	var out []string
	for _, u := range s.Config.Uncertain {
		out = append(out, u.Key)
	}
	return out
}

// A file's distributions, nested or dotted, in YAML, TOML or JSON, are read
// alike; a child file's distribution replaces its parent's, and a value
// given above (a child's value, --set) removes the distribution.
func TestUncertainLoads(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"s.yaml":     "extends: giving-uncertain\nuncertain:\n  market:\n    cac: {dist: lognormal, median: 150, sd_log: 0.3}\n  switching.cost: {dist: discrete, values: [0.1, 0.5], weights: [3, 1]}\n",
		"s.toml":     "extends = \"giving-uncertain\"\n[uncertain.market.cac]\ndist = \"lognormal\"\nmedian = 150\nsd_log = 0.3\n[uncertain.\"switching.cost\"]\ndist = \"discrete\"\nvalues = [0.1, 0.5]\nweights = [3, 1]\n",
		"s.json":     `{"extends": "giving-uncertain", "uncertain": {"market.cac": {"dist": "lognormal", "median": 150, "sd_log": 0.3}, "switching.cost": {"dist": "discrete", "values": [0.1, 0.5], "weights": [3, 1]}}}`,
		"fixed.yaml": "extends: s.yaml\npricing.price_sensitivity: 1\n",
	})
	want := []string{"goodwill.negativity_bias", "market.cac", "pricing.price_sensitivity", "switching.cost"}
	var hashes []string
	for _, name := range []string{"s.yaml", "s.toml", "s.json"} {
		s, err := scenarios.Load(filepath.Join(dir, name), scenarios.Sources{})
		if err != nil {
			t.Fatal(err)
		}
		if got := keys(s); !slices.Equal(got, want) {
			t.Errorf("%s: assumptions %v, want %v", name, got, want)
		}
		if d := s.Config.Uncertain[3].Dist; d.Kind != sim.DistDiscrete || !slices.Equal(d.Values, []float64{0.1, 0.5}) || !slices.Equal(d.Weights, []float64{3, 1}) {
			t.Errorf("%s: switching.cost %v, want the file's discrete list", name, d)
		}
		hashes = append(hashes, s.Config.Hash())
	}
	if hashes[0] != hashes[1] || hashes[0] != hashes[2] {
		t.Errorf("formats disagree: %v", hashes)
	}
	s, err := scenarios.Load(filepath.Join(dir, "fixed.yaml"), scenarios.Sources{Sets: []string{"market.cac=100"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(s); !slices.Equal(got, []string{"goodwill.negativity_bias", "switching.cost"}) || s.Config.Market.CAC != 100 {
		t.Errorf("fixed: assumptions %v, cac %g; want the fixed ones gone", got, s.Config.Market.CAC)
	}
}

// taking-uncertain and giving-uncertain share their assumptions, so that
// they compare under the same ones.
func TestUncertainBuiltinsShareAssumptions(t *testing.T) {
	var hashes []string
	for _, name := range []string{"taking-uncertain", "giving-uncertain"} {
		s, err := scenarios.Load(name, scenarios.Sources{})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Config.Uncertain) != 3 {
			t.Fatalf("%s: %d assumptions, want 3", name, len(s.Config.Uncertain))
		}
		c := sim.Default()
		c.Uncertain = s.Config.Uncertain
		hashes = append(hashes, c.Hash())
	}
	if hashes[0] != hashes[1] {
		t.Error("taking-uncertain and giving-uncertain have different assumptions")
	}
}

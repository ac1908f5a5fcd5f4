package scenarios_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

var builtinNames = []string{
	"baseline", "best-plan-advice", "community", "discount-led", "generous", "giving", "giving-uncertain", "human-touch",
	"loyalty-penalty", "monopoly", "neutral", "people-first", "right-customers", "self-service", "taking", "taking-uncertain",
}

func TestListNamesEveryBuiltin(t *testing.T) {
	var names []string
	for _, info := range scenarios.List() {
		names = append(names, info.Name)
		if info.Description == "" {
			t.Errorf("%s: no description", info.Name)
		}
		root := info.Name == "baseline" || info.Name == "neutral"
		if root != (info.Extends == "") {
			t.Errorf("%s: extends %q; only baseline and neutral extend nothing", info.Name, info.Extends)
		}
	}
	if !slices.Equal(names, builtinNames) {
		t.Errorf("List() names = %v, want %v", names, builtinNames)
	}
}

func TestBuiltinsLoadAndValidate(t *testing.T) {
	for _, name := range builtinNames {
		t.Run(name, func(t *testing.T) {
			s, err := scenarios.Load(name, scenarios.Sources{})
			if err != nil {
				t.Fatal(err)
			}
			if err := scenarios.Validate(name); err != nil {
				t.Errorf("Validate: %v", err)
			}
			if s.Name != name || s.Chain[0] != "builtin/"+name+".yaml" {
				t.Errorf("Name %q, Chain %v", s.Name, s.Chain)
			}
			if root := s.Chain[len(s.Chain)-1]; root != "builtin/baseline.yaml" && root != "builtin/neutral.yaml" {
				t.Errorf("chain %v does not end at baseline or neutral", s.Chain)
			}
			if s.Config.Population.Initial > 20000 || s.Config.Replications > 100 {
				t.Errorf("population %d, replications %d: too slow for a built-in", s.Config.Population.Initial, s.Config.Replications)
			}
		})
	}
}

// TestBuiltinsStateOnlyDifferences checks that a built-in that extends
// another sets only values that differ from its parent's.
func TestBuiltinsStateOnlyDifferences(t *testing.T) {
	for _, info := range scenarios.List() {
		if info.Extends == "" {
			continue
		}
		child, err := scenarios.Load(info.Name, scenarios.Sources{})
		if err != nil {
			t.Fatal(err)
		}
		parent, err := scenarios.Load(info.Extends, scenarios.Sources{})
		if err != nil {
			t.Fatal(err)
		}
		own := scenarios.Origin{Layer: scenarios.LayerFile, File: child.Chain[0]}
		cv, pv := child.Config.Values(), parent.Config.Values()
		for key, o := range child.Origins {
			if o == own && cv[key] == pv[key] {
				t.Errorf("%s: %s = %v repeats its parent %s", info.Name, key, cv[key], info.Extends)
			}
		}
	}
}

// TestBuiltinDials checks the values that define each built-in.
func TestBuiltinDials(t *testing.T) {
	offInNeutral := []string{
		"service.contact_rate", "incidents.rate", "market.paid_per_period", "advocacy.referral_rate",
		"taking.loyalty_rise", "taking.fix_fee", "taking.upsell_rate", "taking.upsell_goodwill",
		"giving.advice_rate", "giving.advice_uptake", "giving.advice_goodwill", "giving.fast_fix",
		"discounts.depth", "discounts.retention_depth", "generosity.gesture_rate",
		"pricing.overpay_share", "pricing.goodwill_premium", "churn.walkaway",
	}
	neutral := map[string][2]float64{}
	for _, k := range offInNeutral {
		neutral[k] = [2]float64{0, 0}
	}
	// Each wanted value is a closed range [lo, hi].
	tests := map[string]map[string][2]float64{
		"neutral": neutral,
		"baseline": {
			"market.potential": {100000, 1e6}, "market.paid_per_period": {100, 1000}, "market.cac": {1, 1000},
			"population.initial": {5000, 20000}, "horizon.periods": {60, 60},
			"policy.giving": {0.5, 0.5}, "policy.generosity": {0.5, 0.5}, "policy.human_share": {0.5, 0.5},
		},
		"taking":           {"policy.giving": {0, 0}, "policy.generosity": {0, 0}, "policy.human_share": {0, 0.2}, "policy.staff_skill": {0, 0.3}, "policy.people": {0, 0}},
		"giving":           {"policy.giving": {1, 1}, "policy.generosity": {1, 1}, "policy.human_share": {0.8, 1}, "policy.staff_skill": {0.8, 1}, "policy.people": {1, 1}},
		"people-first":     {"policy.people": {1, 1}, "service.staffing": {3, 10}},
		"discount-led":     {"policy.generosity": {0, 0}, "discounts.depth": {0.3, 1}},
		"generous":         {"policy.generosity": {1, 1}, "generosity.gesture_rate": {0.5, 1}},
		"self-service":     {"policy.human_share": {0, 0.1}},
		"community":        {"policy.community": {0.5, 1}, "policy.human_share": {0.5, 0.5}},
		"human-touch":      {"policy.human_share": {0.8, 1}, "policy.staff_skill": {0.7, 1}},
		"loyalty-penalty":  {"policy.giving": {0, 0}, "taking.loyalty_rise": {0.01, 1}, "taking.fix_fee": {0, 0}, "taking.upsell_rate": {0, 0}},
		"best-plan-advice": {"policy.giving": {1, 1}, "giving.advice_rate": {0.01, 1}, "giving.fast_fix": {0, 0}},
		"monopoly":         {"switching.cost": {0.9, 1}, "policy.giving": {0, 0}, "policy.generosity": {0, 0}},
	}
	for name, want := range tests {
		s, err := scenarios.Load(name, scenarios.Sources{})
		if err != nil {
			t.Fatal(err)
		}
		got := s.Config.Values()
		for key, r := range want {
			if x := got[key]; x < r[0] || x > r[1] {
				t.Errorf("%s: %s = %v, want in [%v, %v]", name, key, x, r[0], r[1])
			}
		}
	}
}

// citation matches an author and year, as in "Lewis (2006)" or
// "Sultan, Farley & Lehmann 1990".
var citation = regexp.MustCompile(`[A-Z][A-Za-z]+.*\b(19|20)\d\d\b`)

// TestBuiltinValuesCarrySources checks that every value in every built-in
// file, other than description, extends and seed, has a comment on its line
// giving a source (author and year), "assumption" or "definition".
func TestBuiltinValuesCarrySources(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("builtin", "*.yaml"))
	if err != nil || len(files) != len(builtinNames) {
		t.Fatalf("found %d built-in files (%v), want %d", len(files), err, len(builtinNames))
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var root yaml.Node
		if err := yaml.Unmarshal(b, &root); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		walkValues(root.Content[0], "", func(key string, v *yaml.Node) {
			switch key {
			case "description", "extends", "seed", "segments[].name":
				return
			}
			c := v.LineComment
			if !strings.Contains(c, "assumption") && !strings.Contains(c, "definition") && !citation.MatchString(c) {
				t.Errorf("%s:%d: %s: comment %q gives no source, assumption or definition", file, v.Line, key, c)
			}
		})
	}
}

// walkValues calls f with the dotted key and node of every scalar under the
// mapping n.
func walkValues(n *yaml.Node, prefix string, f func(key string, v *yaml.Node)) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, v := prefix+n.Content[i].Value, n.Content[i+1]
		if v.Kind == yaml.MappingNode {
			walkValues(v, key+".", f)
			continue
		}
		if v.Kind == yaml.SequenceNode { // segments: a list of mappings
			for _, item := range v.Content {
				walkValues(item, key+"[].", f)
			}
			continue
		}
		f(key, v)
	}
}

func TestEveryParameterHasAnEnvironmentVariable(t *testing.T) {
	seen := map[string]string{}
	for _, p := range sim.Params {
		name := "RETSIM_" + strings.ToUpper(strings.ReplaceAll(p.Key, ".", "_"))
		if other, dup := seen[name]; dup {
			t.Errorf("%s and %s share the variable %s", p.Key, other, name)
		}
		seen[name] = p.Key
		s, err := scenarios.Load("baseline", scenarios.Sources{Env: []string{name + "=" + strconv.FormatFloat(p.Default, 'g', -1, 64)}})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if o := s.Origins[p.Key]; o.Layer != scenarios.LayerEnv || o.Detail != name {
			t.Errorf("%s: origin %v", p.Key, o)
		}
	}
}

package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/retsim/retsim/sim"
)

func TestParseRef(t *testing.T) {
	dir := t.TempDir()
	plus := filepath.Join(dir, "a+b=c.yaml") // an existing file is meant whole
	if err := os.WriteFile(plus, []byte("extends: baseline\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ref  string
		want Ref
	}{
		{"baseline", Ref{Scenario: "baseline"}},
		{"baseline+policy.giving=1", Ref{"baseline", []string{"policy.giving=1"}}},
		{"baseline+policy.giving=1+churn.alpha=0.9", Ref{"baseline", []string{"policy.giving=1", "churn.alpha=0.9"}}},
		{"baseline+churn.alpha=1e+0+market.cac=80", Ref{"baseline", []string{"churn.alpha=1e+0", "market.cac=80"}}},
		{"a+b.yaml+policy.giving=1", Ref{"a+b.yaml", []string{"policy.giving=1"}}},
		{"a+b.yaml", Ref{Scenario: "a+b.yaml"}},
		{"baseline+policy.giving", Ref{Scenario: "baseline+policy.giving"}},
		{plus, Ref{Scenario: plus}},
		{plus + "+policy.giving=1", Ref{plus, []string{"policy.giving=1"}}},
	} {
		if got := ParseRef(tc.ref); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseRef(%q) = %+v, want %+v", tc.ref, got, tc.want)
		}
	}
}

// A change applies to its scenario only, names it, records its origin,
// beats --set and the environment, loses to flags, and removes the
// parameter's distribution.
func TestLoadWithChanges(t *testing.T) {
	src := Sources{Env: []string{"RETSIM_CHURN_ALPHA=0.7"}, Sets: []string{"policy.giving=0.2", "market.cac=90"}, Flags: map[string]string{"seed": "7"}}
	sc, err := Load("giving-uncertain+policy.giving=1+churn.alpha=0.9+seed=3+goodwill.negativity_bias=2", src)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "giving-uncertain+policy.giving=1+churn.alpha=0.9+seed=3+goodwill.negativity_bias=2" {
		t.Errorf("name %q", sc.Name)
	}
	c := sc.Config
	if c.Policy.Giving != 1 || c.Churn.Alpha != 0.9 || c.Market.CAC != 90 || c.Seed != 7 || c.Goodwill.NegativityBias != 2 {
		t.Errorf("giving %g, alpha %g, cac %g, seed %d, negativity bias %g; want the changes 1, 0.9 and 2 over --set and the environment, --set's 90, the flag's seed 7",
			c.Policy.Giving, c.Churn.Alpha, c.Market.CAC, c.Seed, c.Goodwill.NegativityBias)
	}
	if o := sc.Origins["policy.giving"]; o.String() != "change:policy.giving=1" {
		t.Errorf("origin of policy.giving %q, want change:policy.giving=1", o)
	}
	if slices.ContainsFunc(c.Uncertain, func(u sim.Uncertain) bool { return u.Key == "goodwill.negativity_bias" }) {
		t.Error("a change kept the parameter's distribution")
	}
	plain, err := Load("giving-uncertain", src)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Config.Policy.Giving != 0.2 || plain.Name != "giving-uncertain" || len(plain.Config.Uncertain) != len(c.Uncertain)+1 {
		t.Errorf("without changes: giving %g, name %q, %d assumptions; want --set's 0.2 and one assumption more than %d",
			plain.Config.Policy.Giving, plain.Name, len(plain.Config.Uncertain), len(c.Uncertain))
	}
}

// A bad change is an *Error naming the change, the key and what is
// allowed, as a bad --set is.
func TestLoadRejectsBadChanges(t *testing.T) {
	for _, tc := range []struct{ ref, want string }{
		{"baseline+policy.giving=7", "change:policy.giving=7: policy.giving: must be in [0, 1], got 7"},
		{"baseline+policy.givin=1", "policy.givin: unknown key; did you mean policy.giving?"},
		{"baseline+policy.giving=lots", "policy.giving: "},
		{"baseline+=1", "a change after + is key=value"},
		{"baseline+policy.giving", "a change after + is key=value"},
		{"nosuch+policy.giving=1", "unknown built-in scenario"},
		{"baseline+segments.a.share=1", "set in a scenario file only"},
		{"baseline+discounts.months=100", "discounts.months"},
	} {
		_, err := Load(tc.ref, Sources{})
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%q): %v, want an *Error containing %q", tc.ref, err, tc.want)
		}
	}
}

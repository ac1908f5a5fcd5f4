package compare

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/retsim/retsim/sim"
)

func TestSensitivityKeys(t *testing.T) {
	keys := SensitivityKeys()
	excluded := []string{"seed", "replications", "horizon.periods", "horizon.periods_per_year", "population.initial", "market.potential"}
	if len(keys) != len(sim.Params)-len(excluded) {
		t.Errorf("%d keys, want every one of the %d parameters but %v", len(keys), len(sim.Params), excluded)
	}
	for _, k := range excluded {
		if slices.Contains(keys, k) {
			t.Errorf("%s is among the default keys", k)
		}
	}
}

func TestEnds(t *testing.T) {
	for _, tc := range []struct {
		key       string
		v         float64
		lo, hi    float64
		note, err string
	}{
		{"pricing.list_price", 30, 24, 36, "", ""},
		{"goodwill.initial", -1, -1.2, -0.8, "", ""},
		{"churn.alpha", 0.8, 0.64, 0.96, "", ""},
		{"policy.giving", 0.9, 0.72, 1, "clipped to its range in [0, 1]", ""},
		{"market.deterrence", 0, 0, 0.2, "base value 0: moved by 20% of its range in [0, 1]; clipped", ""},
		{"goodwill.initial", 0, -4, 4, "base value 0: moved by 20% of its range in [-10, 10]", ""},
		{"discounts.months", 3, 2, 4, "rounded outward to whole numbers", ""},
		{"discounts.months", 0, 0, 0, "", "unbounded"},
		{"market.cac", 0, 0, 0, "", "base value 0 and range unbounded in nature"},
	} {
		p, _ := sim.Lookup(tc.key)
		lo, hi, note, err := ends(p, tc.v)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ends(%s, %g): error %v, want one containing %q", tc.key, tc.v, err, tc.err)
			}
		case err != nil:
			t.Errorf("ends(%s, %g): %v", tc.key, tc.v, err)
		case lo != tc.lo || hi != tc.hi || !strings.HasPrefix(note, tc.note):
			t.Errorf("ends(%s, %g) = %g, %g, %q; want %g, %g, %q...", tc.key, tc.v, lo, hi, note, tc.lo, tc.hi, tc.note)
		}
	}
}

// A tornado of cumulative profit over parameters chosen to exercise every
// rule: a plain ±20% (list price, which must raise profit), a clip at the
// range (giving at 0.9), a zero moved over its range (deterrence), a zero
// with an unbounded range (CAC, skipped), a whole number (discount months)
// and an end that breaks a relation between parameters (human_cost_basic
// above human_cost_skilled, skipped).
func TestSensitivity(t *testing.T) {
	base := small()
	base.Population.Initial = 1000
	base.Replications = 8
	base.Policy.Giving = 0.9
	base.Service.HumanCostBasic = 9
	keys := []string{"pricing.list_price", "policy.giving", "market.deterrence", "market.cac", "discounts.months", "service.human_cost_basic"}
	tor, err := Sensitivity(context.Background(), base, keys, "cumulative_profit", sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tor.Bars) != 4 || len(tor.Skipped) != 2 {
		t.Fatalf("%d bars and %d skipped, want 4 and 2: %+v", len(tor.Bars), len(tor.Skipped), tor)
	}
	if !slices.IsSortedFunc(tor.Bars, func(a, b Bar) int { return cmp.Compare(b.Swing, a.Swing) }) {
		t.Error("bars not sorted by swing, largest first")
	}
	bars := map[string]Bar{}
	for _, b := range tor.Bars {
		bars[b.Key] = b
		t.Logf("%-20s %6g %6g  low %+12.0f [%+.0f, %+.0f]  high %+12.0f  swing %.0f  %s", b.Key, b.Low, b.High,
			b.LowDiff.Mean, b.LowDiff.CI95.Low, b.LowDiff.CI95.High, b.HighDiff.Mean, b.Swing, b.Note)
	}
	if b := bars["pricing.list_price"]; b.Low != 24 || b.High != 36 || !(b.LowDiff.CI95.High < 0) || !(b.HighDiff.CI95.Low > 0) {
		t.Errorf("list price %g to %g: effects %+v and %+v; want profit clearly lower at 24 and higher at 36", b.Low, b.High, b.LowDiff, b.HighDiff)
	}
	if b := bars["policy.giving"]; b.High != 1 || !strings.Contains(b.Note, "clipped") {
		t.Errorf("giving at 0.9: high %g, note %q; want clipped to 1", b.High, b.Note)
	}
	if b := bars["market.deterrence"]; b.Low != 0 || b.High != 0.2 || b.LowDiff.Mean != 0 {
		t.Errorf("deterrence at 0: ends %g and %g, low effect %g; want 0 (the base itself) and 0.2", b.Low, b.High, b.LowDiff.Mean)
	}
	if b := bars["discounts.months"]; b.Low != 2 || b.High != 4 {
		t.Errorf("discount months at 3: ends %g and %g, want 2 and 4", b.Low, b.High)
	}
	for _, s := range tor.Skipped {
		want := map[string]string{"market.cac": "unbounded", "service.human_cost_basic": "service.human_cost_skilled"}[s.Key]
		if want == "" || !strings.Contains(s.Reason, want) {
			t.Errorf("skipped %s: %q, want a reason containing %q", s.Key, s.Reason, want)
		}
	}
}

func TestSensitivityRejects(t *testing.T) {
	base := small()
	bad := base
	bad.Churn.Alpha = -1
	for _, tc := range []struct {
		name    string
		base    sim.Config
		keys    []string
		outcome string
		want    string
	}{
		{"unknown key", base, []string{"pricing.list_prize"}, "cumulative_profit", "pricing.list_prize: unknown parameter"},
		{"seed", base, []string{"seed"}, "cumulative_profit", "seed: cannot be varied"},
		{"key twice", base, []string{"policy.giving", "policy.giving"}, "cumulative_profit", "listed more than once"},
		{"unknown outcome", base, nil, "profit", `unknown outcome "profit"`},
		{"invalid base", bad, nil, "cumulative_profit", "base: churn.alpha: must be > 0, got -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Sensitivity(context.Background(), tc.base, tc.keys, tc.outcome, sim.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

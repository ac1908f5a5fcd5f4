// Package plotstest runs small simulations for the tests of the charts and
// the report.
package plotstest

import (
	"context"
	"testing"

	"github.com/retsim/retsim/sim"
)

// Small is the configuration tests start from: 500 initial customers, 24
// monthly periods, 5 replications, paid acquisition at a CAC of 150.
func Small() sim.Config {
	cfg := sim.Default()
	cfg.Population.Initial = 500
	cfg.Horizon.Periods = 24
	cfg.Replications = 5
	cfg.Market.PaidPerPeriod = 20
	cfg.Market.CAC = 150
	return cfg
}

// Run simulates the scenario name, Small with the parameters in set
// changed, and returns its summary; it fails tb on any error.
func Run(tb testing.TB, name string, set map[string]float64) *sim.Summary {
	tb.Helper()
	cfg := Small()
	for k, v := range set {
		if err := cfg.Set(k, v); err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
	}
	r, err := sim.Run(context.Background(), name, cfg, sim.Options{})
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return sim.Summarize(r)
}

// Scenarios runs three contrasting scenarios: "taking" (policy.giving 0,
// policy.generosity 0, policy.human_share 0.1), "neutral" (defaults) and
// "giving" (policy.giving 1, policy.generosity 1, policy.human_share 0.9),
// and returns the first n of them.
func Scenarios(tb testing.TB, n int) []*sim.Summary {
	tb.Helper()
	all := []struct {
		name string
		set  map[string]float64
	}{
		{"taking", map[string]float64{"policy.giving": 0, "policy.generosity": 0, "policy.human_share": 0.1}},
		{"neutral", nil},
		{"giving", map[string]float64{"policy.giving": 1, "policy.generosity": 1, "policy.human_share": 0.9}},
	}
	out := make([]*sim.Summary, n)
	for i := range out {
		out[i] = Run(tb, all[i].name, all[i].set)
	}
	return out
}

// Package plotstest runs small simulations for the tests of the charts and
// the report.
package plotstest

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/cmpimg"

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

// update makes Golden rewrite the golden images instead of comparing with
// them: go test ./plots ./fit -update, or make golden.
var update = flag.Bool("update", false, "rewrite the golden images in testdata/golden/ instead of comparing with them")

// goldenDelta is how far, in cmpimg's normalised colour distance, a pixel
// may stray from the golden image (0 to 1): enough for rounding in
// anti-aliasing, too little for a moved line or label or a changed colour
// (a band 3% more opaque fails).
const goldenDelta = 0.01

// Golden compares the PNG image got with testdata/golden/NAME.png in the
// test's package directory, pixel by pixel within goldenDelta (cmpimg), and
// fails tb when they differ, saving got in the system's temporary directory
// to look at. With -update it writes got as the golden image instead.
// Golden images are drawn with the fonts gonum/plot embeds, so they are the
// same on every machine that runs the same versions of Go and gonum/plot.
func Golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", "golden", name+".png")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (make golden writes the golden images)", err)
	}
	same, err := cmpimg.EqualApprox("png", got, want, goldenDelta)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	if !same {
		failed := filepath.Join(os.TempDir(), "retsim-golden-"+name+".png")
		if err := os.WriteFile(failed, got, 0o644); err != nil {
			tb.Logf("saving the image drawn: %v", err)
		}
		tb.Errorf("%s differs from %s; drawn: %s (if the change is meant, make golden)", name, path, failed)
	}
}

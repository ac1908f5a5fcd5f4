package fit

import (
	"bytes"
	"testing"

	"github.com/retsim/retsim/plots"
	"github.com/retsim/retsim/plots/plotstest"
)

// TestGoldenFitChart draws the fit of Fader and Hardie's regular customers
// (years 0-7 for training, 12 more projected) and compares it with
// testdata/golden/fit_survival.png; make golden rewrites it.
func TestGoldenFitChart(t *testing.T) {
	res := mustFit(t, survivalCSV(regular), Options{Train: 8, Project: 12})
	f, err := res.Figure()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Render(&b, plots.PNG); err != nil {
		t.Fatal(err)
	}
	plotstest.Golden(t, "fit_survival", b.Bytes())
}

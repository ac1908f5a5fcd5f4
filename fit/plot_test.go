package fit

import (
	"bytes"
	"fmt"
	"log"
	"strings"
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

// The chart of a fit of Fader and Hardie's regular customers, as a
// plots.Figure: survival and retention side by side.
func ExampleResult_Figure() {
	d, err := Read("regular.csv", strings.NewReader("period,alive\n0,1000\n1,631\n2,468\n3,382\n4,326\n5,289\n6,262\n7,241\n8,223\n9,207\n10,194\n11,183\n12,173\n"))
	if err != nil {
		log.Fatal(err)
	}
	res, err := Fit(d, Options{Train: 8, Project: 12})
	if err != nil {
		log.Fatal(err)
	}
	f, err := res.Figure()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Name, len(f.Panels), "x", len(f.Panels[0]))
	fmt.Println(f.Title)
	// Output:
	// fit_survival 1 x 2
	// Observed vs fitted sBG churn: regular.csv (alpha 0.704, beta 1.182)
}

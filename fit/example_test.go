package fit_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/retsim/retsim/fit"
)

// Fader & Hardie's (2007) "regular" customers, fitted on years 0-7 and
// checked against years 8-12.
func ExampleFit() {
	const data = `period,alive
0,1000
1,631
2,468
3,382
4,326
5,289
6,262
7,241
8,223
9,207
10,194
11,183
12,173
`
	d, err := fit.Read("regular.csv", strings.NewReader(data))
	if err != nil {
		log.Fatal(err)
	}
	res, err := fit.Fit(d, fit.Options{Train: 8, Project: 3})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("alpha %.3f, beta %.3f, mean churn %.3f\n", res.Alpha, res.Beta, res.MeanChurn)
	last := res.Periods[len(res.Periods)-1]
	fmt.Printf("held-out period %d: observed %.3f, fitted %.3f\n", last.Period, last.ObservedSurvival, last.Survival)
	for _, p := range res.Projection {
		fmt.Printf("period %d: survival %.3f\n", p.Period, p.Survival)
	}
	// Output:
	// alpha 0.704, beta 1.182, mean churn 0.373
	// held-out period 12: observed 0.173, fitted 0.170
	// period 13: survival 0.161
	// period 14: survival 0.154
	// period 15: survival 0.147
}

// The same customers counted once a year, fitted for a scenario of 12
// periods (months) a year: the time column says the rows are years,
// Spacing turns that into 12 periods, and the fit is per month.
func ExampleData_Spacing() {
	const data = `year,alive
0,1000
1,631
2,468
3,382
4,326
5,289
6,262
7,241
`
	d, err := fit.Read("regular.csv", strings.NewReader(data))
	if err != nil {
		log.Fatal(err)
	}
	every, named, err := d.Spacing(12)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("one row a %s: %d periods apart (named: %v)\n", d.Unit, every, named)
	res, err := fit.Fit(d, fit.Options{Every: every})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("per month: alpha %.3f, beta %.2f\n", res.Alpha, res.Beta)
	fmt.Printf("a year after joining: observed %.3f, fitted %.3f\n", float64(res.Periods[1].ObservedSurvival), res.Periods[1].Survival)
	fmt.Println(res.Verdict("month"))
	// Output:
	// one row a year: 12 periods apart (named: true)
	// per month: alpha 0.709, beta 13.02
	// a year after joining: observed 0.631, fitted 0.627
	// alpha 0.709 [0.594, 0.848] and beta 13.0 [9.6, 17.7] (95% confidence intervals): churn is 5.2% a month among new customers and falls to 0.7% a month among those still active after 84 months, as those likeliest to leave go first
}

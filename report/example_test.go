package report_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/retsim/retsim/report"
	"github.com/retsim/retsim/sim"
)

func ExampleTable() {
	// Summaries normally come from sim.Summarize(result) after sim.Run;
	// these are written out by hand to show the table's layout.
	cfg := sim.Default()
	baseline := &sim.Summary{Scenario: "baseline", Config: cfg, Replications: 100, Totals: sim.Totals{
		CumulativeProfit:           sim.Stat{Mean: 1234567, P05: 1100000, P95: 1350000},
		CumulativeDiscountedProfit: sim.Stat{Mean: 1012345, P05: 905000, P95: 1104000},
		CustomerEquity:             sim.Stat{Mean: 1650000, P05: 1610000, P95: 1690000},
		Value:                      sim.Stat{Mean: 2662345, P05: 2530000, P95: 2780000},
		FinalActive:                sim.Stat{Mean: 8123.4, P05: 7950, P95: 8301},
		FinalNPS:                   sim.Stat{Mean: 12.34, P05: 9.5, P95: 15.25},
		CLV:                        sim.Stat{Mean: 310.5, P05: 290.25, P95: 333},
		Payback:                    sim.Stat{Mean: 7.4, P05: 6, P95: 9},
		PaybackNever:               0.02,
	}}
	giving := &sim.Summary{Scenario: "giving", Config: cfg, Replications: 100, Totals: sim.Totals{
		CumulativeProfit:           sim.Stat{Mean: 1301000, P05: 1150000, P95: 1420000},
		CumulativeDiscountedProfit: sim.Stat{Mean: 1060000, P05: 950000, P95: 1170000},
		CustomerEquity:             sim.Stat{Mean: 1900000, P05: 1850000, P95: 1950000},
		Value:                      sim.Stat{Mean: 2960000, P05: 2820000, P95: 3100000},
		FinalActive:                sim.Stat{Mean: 9012, P05: 8870, P95: 9150},
		FinalNPS:                   sim.Stat{Mean: 31.5, P05: 28, P95: 34.5},
		CLV:                        sim.Stat{Mean: 355, P05: 331, P95: 380},
		Payback:                    sim.Stat{Mean: 6.1, P05: 5, P95: 7},
	}}
	if err := report.Table(os.Stdout, []*sim.Summary{baseline, giving}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// Totals at the horizon: mean [5-95% range across replications]
	// measure                                  unit                   baseline                           giving
	// cumulative profit                        currency               1,234,567 [1,100,000, 1,350,000]   1,301,000 [1,150,000, 1,420,000]
	// cumulative discounted profit             currency at period 0   1,012,345 [905,000, 1,104,000]     1,060,000 [950,000, 1,170,000]
	// customer equity at the horizon           currency at period 0   1,650,000 [1,610,000, 1,690,000]   1,900,000 [1,850,000, 1,950,000]
	// value: discounted profit + equity        currency at period 0   2,662,345 [2,530,000, 2,780,000]   2,960,000 [2,820,000, 3,100,000]
	// active customers after the last period   customers              8,123 [7,950, 8,301]               9,012 [8,870, 9,150]
	// NPS in the last period                   points                 12.3 [9.5, 15.2]                   31.5 [28.0, 34.5]
	// CLV per acquired customer (lifetime)     currency at joining    310 [290, 333]                     355 [331, 380]
	// CAC payback                              months                 7.40 [6.00, 9.00]                  6.10 [5.00, 7.00]
	// CAC payback not reached                  % of replications      2                                  0
	// replications                             runs                   100                                100
}

func ExamplePage() {
	// A page for results that simulated scenarios do not head, such as a
	// fit: the verdict first, then the headline table, the lead and the
	// detail.
	var page strings.Builder
	err := report.Page(&page, report.Options{
		Title:    "retsim fit: retention.csv",
		Verdicts: []string{"alpha 0.704 [0.587, 0.845], beta 1.18 [0.918, 1.52] (95% confidence intervals)"},
		Headline: report.Grid{Rows: [][]string{{"parameter", "estimate", "95% confidence interval"}, {"alpha", "0.704", "[0.587, 0.845]"}}},
		Lead:     "Shifted-beta-geometric fit by maximum likelihood.",
		Manifest: []report.Fact{{Name: "data", Value: "retention.csv"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Contains(page.String(), `<div class="verdict" id="verdict">`))
	// Output: true
}

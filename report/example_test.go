package report_test

import (
	"log"
	"os"

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
	// measure                                  unit                   baseline                giving
	// cumulative profit                        currency               1.235M [1.1M, 1.35M]    1.301M [1.15M, 1.42M]
	// cumulative discounted profit             currency at period 0   1.012M [905k, 1.104M]   1.06M [950k, 1.17M]
	// customer equity at the horizon           currency at period 0   1.65M [1.61M, 1.69M]    1.9M [1.85M, 1.95M]
	// value: discounted profit + equity        currency at period 0   2.662M [2.53M, 2.78M]   2.96M [2.82M, 3.1M]
	// active customers after the last period   customers              8123 [7950, 8301]       9012 [8870, 9150]
	// NPS in the last period                   points                 12.34 [9.5, 15.25]      31.5 [28, 34.5]
	// CLV per acquired customer (lifetime)     currency at joining    310.5 [290.2, 333]      355 [331, 380]
	// CAC payback                              months                 7.4 [6, 9]              6.1 [5, 7]
	// CAC payback not reached                  % of replications      2                       0
	// replications                             runs                   100                     100
}

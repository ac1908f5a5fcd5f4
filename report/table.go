// Package report presents simulation results to people: a summary table
// for the terminal and a self-contained HTML report with every chart,
// parameter and source.
package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/retsim/retsim/internal/numfmt"
	"github.com/retsim/retsim/sim"
)

// measure is one row of the summary table: a horizon total of each
// scenario with its unit.
type measure struct {
	name string
	unit func(cfg sim.Config) string
	cell func(t sim.Totals) string
}

// measures are the rows of the summary table, in order.
var measures = []measure{
	{"cumulative profit", fixed("currency"), func(t sim.Totals) string { return interval(t.CumulativeProfit) }},
	{"cumulative discounted profit", fixed("currency at period 0"), func(t sim.Totals) string { return interval(t.CumulativeDiscountedProfit) }},
	{"customer equity at the horizon", fixed("currency at period 0"), func(t sim.Totals) string { return interval(t.CustomerEquity) }},
	{"value: discounted profit + equity", fixed("currency at period 0"), func(t sim.Totals) string { return interval(t.Value) }},
	{"active customers after the last period", fixed("customers"), func(t sim.Totals) string { return interval(t.FinalActive) }},
	{"NPS in the last period", fixed("points"), func(t sim.Totals) string { return interval(t.FinalNPS) }},
	{"CLV per acquired customer (lifetime)", fixed("currency at joining"), func(t sim.Totals) string { return interval(t.CLV) }},
	{"CAC payback", func(cfg sim.Config) string { return periodsName(cfg) }, func(t sim.Totals) string { return interval(t.Payback) }},
	{"CAC payback not reached", fixed("% of replications"), func(t sim.Totals) string { return numfmt.Fixed(100*t.PaybackNever, 0, false) }},
}

func fixed(unit string) func(sim.Config) string { return func(sim.Config) string { return unit } }

// periodsName names the periods in words, e.g. "months".
func periodsName(cfg sim.Config) string { return cfg.Horizon.PeriodName() + "s" }

// summarize builds the summary table of sums, the header first, then each
// measure's name, unit and one cell per scenario. Units come from the first
// scenario.
func summarize(sums []*sim.Summary) [][]string {
	header := []string{"measure", "unit"}
	for _, sm := range sums {
		header = append(header, sm.Scenario)
	}
	rows := [][]string{header}
	for _, m := range measures {
		row := []string{m.name, m.unit(sums[0].Config)}
		for _, sm := range sums {
			row = append(row, m.cell(sm.Totals))
		}
		rows = append(rows, row)
	}
	reps := []string{"replications", "runs"}
	for _, sm := range sums {
		reps = append(reps, strconv.Itoa(sm.Replications))
	}
	return append(rows, reps)
}

// Table writes the horizon totals of each scenario to w as aligned
// columns, one column per scenario, each value as "mean [p05, p95]": the
// mean and the 5% and 95% quantiles across replications.
func Table(w io.Writer, sums []*sim.Summary) error {
	if len(sums) == 0 {
		return fmt.Errorf("report: table: no scenarios")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "Totals at the horizon: mean [5-95% range across replications]")
	for _, row := range summarize(sums) {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("report: table: %w", err)
	}
	return nil
}

// interval formats s as "mean [p05, p95]", fixed-point with thousands
// separators and one number of decimals for all three; a Stat nothing
// measured is "n/a".
func interval(s sim.Stat) string {
	if math.IsNaN(s.Mean) {
		return "n/a"
	}
	return numfmt.Spread(s.Mean, s.P05, s.P95)
}

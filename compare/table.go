package compare

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

// human formats x for a reader: fixed-point with thousands separators,
// three significant digits or more, with a sign when signed; n/a for NaN.
func human(x float64, signed bool) string { return numfmt.Number(x, signed) }

// diff formats a mean difference and its interval, signed, all three
// numbers with the same decimals: "+4.0" and "[-8.7, +16.7]".
func diff(mean float64, iv Interval) (m, interval string) {
	dec := numfmt.CellDecimals(mean, iv.Low, iv.High)
	return numfmt.Fixed(mean, dec, true), "[" + numfmt.Fixed(iv.Low, dec, true) + ", " + numfmt.Fixed(iv.High, dec, true) + "]"
}

// diffCells are diff's two cells.
func diffCells(mean float64, iv Interval) []string {
	m, ci := diff(mean, iv)
	return []string{m, ci}
}

// percent formats a share as a whole percentage.
func percent(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return strconv.FormatFloat(100*x, 'f', 0, 64) + "%"
}

// beats formats the probability of beating the reference, with the share of
// ties when there are any.
func beats(p Paired) string {
	if p.PTies > 0 {
		return percent(p.PBeats) + " (ties " + percent(p.PTies) + ")"
	}
	return percent(p.PBeats)
}

// factor formats a variance reduction factor, e.g. 58x.
func factor(x float64) string {
	switch {
	case math.IsNaN(x):
		return "n/a"
	case math.IsInf(x, 1):
		return "inf"
	case x >= 10:
		return strconv.FormatFloat(x, 'f', 0, 64) + "x"
	}
	return strconv.FormatFloat(x, 'f', 1, 64) + "x"
}

// words turns a file name such as cumulative_profit into words.
func words(name string) string { return strings.ReplaceAll(name, "_", " ") }

// tabulate writes rows as aligned columns, the first row the header.
func tabulate(w io.Writer, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		if _, err := fmt.Fprintln(tw, strings.Join(r, "\t")); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// WriteComparisonTable writes the comparison for a terminal: the verdict,
// each outcome's mean paired difference with its unit, 95% confidence
// interval, probability of beating the reference and variance reduction,
// then when each scenario overtakes the reference for good.
func WriteComparisonTable(w io.Writer, c *Comparison) error {
	for _, v := range c.Verdicts() {
		fmt.Fprintln(w, v.Sentence()+".")
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, c.PairedIntro())
	fmt.Fprintln(w)
	if err := tabulate(w, c.PairedRows()); err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, c.CrossoverIntro())
	fmt.Fprintln(w)
	return tabulate(w, c.CrossoverRows())
}

// PairedIntro says what the paired table holds.
func (c *Comparison) PairedIntro() string {
	crn := "common random numbers (same seed)"
	if !c.CommonRandomNumbers {
		crn = "independent seeds (no common random numbers)"
	}
	return fmt.Sprintf("Compared with %s: %d replications each, %d %ss, %s. "+
		"Differences are scenario minus reference, paired by replication: mean and 95%% confidence interval of the mean.",
		c.Reference, c.Replications, c.Periods, c.periodName(), crn)
}

// PairedRows is the table of paired differences, the header first: each
// outcome's mean paired difference with its 95% confidence interval, unit,
// probability of beating the reference and variance reduction.
func (c *Comparison) PairedRows() [][]string {
	rows := [][]string{{"scenario", "outcome", "mean difference", "95% confidence interval", "unit", "P(beats)", "variance reduction"}}
	for _, d := range c.Outcomes {
		row := append([]string{d.Scenario, words(d.Outcome)}, diffCells(d.Diff.Mean, d.Diff.CI95)...)
		rows = append(rows, append(row, d.Unit, beats(d.Diff), factor(d.Diff.VarianceReduction)))
	}
	return rows
}

// CrossoverIntro says what the crossover table holds.
func (c *Comparison) CrossoverIntro() string {
	return fmt.Sprintf("Overtaking for good: the first %s (0 to %d) from which the scenario stays ahead through the horizon; "+
		"median and 90%% range across replications, in whole %ss.", c.periodName(), c.Periods-1, c.periodName())
}

// CrossoverRows is the table of crossovers, the header first.
func (c *Comparison) CrossoverRows() [][]string {
	rows := [][]string{{"scenario", "metric", "median " + c.periodName(), "90% range", "never within the horizon"}}
	for _, x := range c.Crossovers {
		median, span := "n/a", "n/a"
		if !math.IsNaN(x.Period.P50) {
			median, span = wholePeriod(x.Period.P50), periodRange(x.Period)
		}
		rows = append(rows, []string{x.Scenario, words(x.Metric), median, span, percent(x.Never)})
	}
	return rows
}

// periodName names one period in words, e.g. "month".
func (c *Comparison) periodName() string {
	return sim.Horizon{Periods: c.Periods, PeriodsPerYear: c.PeriodsPerYear}.PeriodName()
}

// WriteSensitivityTable writes the tornado for a terminal: parameters by
// swing, each end's value and paired effect on the outcome with its 95%
// interval, then the skipped parameters.
func WriteSensitivityTable(w io.Writer, t *Tornado) error {
	fmt.Fprintf(w, "Sensitivity of %s (%s): base mean %s over %d replications, %d runs in all (one replication of one configuration each)%s.\n",
		words(t.Outcome), t.Unit, human(t.Base.Mean, false), t.Replications, t.Runs, t.stopped())
	fmt.Fprintf(w, "Each parameter alone moved from its low to its high value: the %g%%-%g%% quantiles of its uncertain: distribution (range from: uncertain), "+
		"else its whole allowed range where both ends are natural, as a probability's 0 and 1 (allowed), else its base value -%g%% and +%g%% (step). "+
		"Effects are paired differences from the base with 95%% intervals.\n",
		100*SensitivityQuantiles[0], 100*SensitivityQuantiles[1], 100*SensitivityStep, 100*SensitivityStep)
	fmt.Fprintln(w)
	rows := [][]string{{"rank", "parameter", "low", "high", "range from", "n", "effect at low", "95% interval", "effect at high", "95% interval", "swing", "95% interval"}}
	for i, b := range t.Bars {
		n := strconv.Itoa(b.Replications)
		if b.Screened(t, i) {
			n += " screened"
		}
		row := []string{strconv.Itoa(i + 1), b.Key, strconv.FormatFloat(b.Low, 'g', 6, 64), strconv.FormatFloat(b.High, 'g', 6, 64), b.Basis, n}
		row = append(append(row, diffCells(b.LowDiff.Mean, b.LowDiff.CI95)...), diffCells(b.HighDiff.Mean, b.HighDiff.CI95)...)
		dec := numfmt.CellDecimals(b.Swing, b.SwingCI95.Low, b.SwingCI95.High)
		swing := "[" + numfmt.Fixed(b.SwingCI95.Low, dec, false) + ", " + numfmt.Fixed(b.SwingCI95.High, dec, false) + "]"
		rows = append(rows, append(row, numfmt.Fixed(b.Swing, dec, false), swing))
	}
	if err := tabulate(w, rows); err != nil {
		return err
	}
	if len(t.Skipped) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Skipped:")
		for _, s := range t.Skipped {
			fmt.Fprintf(w, "  %s: %s\n", s.Key, s.Reason)
		}
	}
	return nil
}

// stopped says, for an adaptive analysis, why it stopped where it did, e.g.
// " (adaptive: stopped as the order of the top 5 was settled, ...; at most 50)";
// empty for a fixed count.
func (t *Tornado) stopped() string {
	switch {
	case t.Top == 0:
		return ""
	case t.Settled:
		return fmt.Sprintf(" (adaptive: stopped as the order of the top %d was settled, their swings apart or tied within %g%% (95%% intervals, paired by replication); at most %d%s)", min(t.Top, len(t.Bars)), 100*t.Tolerance, t.Cap, t.early())
	case t.Limited:
		return fmt.Sprintf(" (adaptive: refinement stopped at the work limit of %s customer-months, %s used and the next look needing %s more, with the order of the top %d not settled: %s; pass --allow-large to go on; at most %d%s)",
			human(t.Budget, false), human(t.CustomerMonths, false), human(t.NextMonths, false), min(t.Top, len(t.Bars)), t.unsettledPairs(), t.Cap, t.early())
	default:
		return fmt.Sprintf(" (adaptive: the order of the top %d was not settled by the cap of %d: %s; raise --replications for more%s)", min(t.Top, len(t.Bars)), t.Cap, t.unsettledPairs(), t.early())
	}
}

// maxPairsNamed bounds the unsettled pairs unsettledPairs names.
const maxPairsNamed = 5

// unsettledPairs names the pairs of bars that leave the order of the first
// t.Top unsettled (see Tornado.Unsettled), e.g. "rank 2 churn.alpha and
// rank 3 churn.beta unsettled", the first maxPairsNamed of them.
func (t *Tornado) unsettledPairs() string {
	var pairs []string
	n := 0
	t.unsettled(t.Top, t.Tolerance, func(i, j int) bool {
		if n++; n <= maxPairsNamed {
			pairs = append(pairs, fmt.Sprintf("rank %d %s and rank %d %s", i+1, t.Bars[i].Key, j+1, t.Bars[j].Key))
		}
		return true
	})
	s := strings.Join(pairs, ", ") + " unsettled"
	if n > maxPairsNamed {
		s += fmt.Sprintf(" (and %d more pairs)", n-maxPairsNamed)
	}
	return s
}

// early says how many bars of an adaptive analysis stopped with fewer
// replications than the most, e.g. "; 80 parameters screened out below the
// top 5 and 2 of the top 5 stopped early, each once its place was settled
// (column n)"; empty when none did.
func (t *Tornado) early() string {
	var screened, settled int
	for i := range t.Bars {
		switch b := &t.Bars[i]; {
		case b.Screened(t, i):
			screened++
		case b.Replications < t.Replications:
			settled++
		}
	}
	if screened+settled == 0 {
		return ""
	}
	top := min(t.Top, len(t.Bars))
	return fmt.Sprintf("; %d parameter(s) screened out below the top %d and %d of the top %d stopped early, each once its place was settled (column n; a swing with one replication has an assumed interval, its swing -+ 1.96 x %s)",
		screened, top, settled, top, human(t.AssumedSD, false))
}

// WriteDecompositionTable writes a decomposition for a terminal: each
// group's parameters with their values in the two scenarios, then, for each
// outcome, each group's part of the paired difference with its 95%
// interval, and the total.
func WriteDecompositionTable(w io.Writer, d *Decomposition) error {
	fmt.Fprintln(w, d.GroupsIntro())
	fmt.Fprintln(w)
	if err := tabulate(w, d.GroupRows()); err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, d.PartsIntro())
	fmt.Fprintln(w)
	return tabulate(w, d.PartRows())
}

// GroupsIntro says how the difference is split.
func (d *Decomposition) GroupsIntro() string {
	return fmt.Sprintf("%s minus %s split among %d groups of parameters: Shapley values over %d configurations, %d replications each, common random numbers.",
		d.Scenario, d.Reference, len(d.Groups), d.Configurations(), d.Replications)
}

// GroupRows is the table of each group's parameters with their values in
// the two scenarios, the header first.
func (d *Decomposition) GroupRows() [][]string {
	rows := [][]string{{"group", "parameter", d.Reference, d.Scenario}}
	for _, g := range d.Groups {
		if len(g.Keys) == 0 {
			rows = append(rows, []string{g.Name, "(none differs)", "-", "-"})
		}
		for i, k := range g.Keys {
			name := g.Name
			if i > 0 {
				name = ""
			}
			v := d.Values[k]
			rows = append(rows, []string{name, k, strconv.FormatFloat(v[0], 'f', -1, 64), strconv.FormatFloat(v[1], 'f', -1, 64)})
		}
	}
	return rows
}

// PartsIntro says what the parts table holds.
func (d *Decomposition) PartsIntro() string {
	return "A group's part is what moving its parameters from the reference's values to the scenario's adds, averaged over every order of moving the groups; " +
		"mean over replications with the 95% confidence interval of the mean. In every replication the parts add up to the total."
}

// PartRows is the table of each outcome's parts, group by group, and
// total, the header first.
func (d *Decomposition) PartRows() [][]string {
	rows := [][]string{{"outcome", "group", "part", "95% confidence interval", "unit"}}
	for _, o := range d.Outcomes {
		for i, p := range o.Parts {
			name := ""
			if i == 0 {
				name = words(o.Outcome)
			}
			rows = append(rows, append(append([]string{name, p.Group}, diffCells(p.Mean, p.CI95)...), o.Unit))
		}
		rows = append(rows, append(append([]string{"", TotalGroup}, diffCells(o.Total.Mean, o.Total.CI95)...), o.Unit))
	}
	return rows
}

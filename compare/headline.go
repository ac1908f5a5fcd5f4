package compare

import (
	"math"
	"strconv"

	"github.com/retsim/retsim/internal/numfmt"
	"github.com/retsim/retsim/sim"
)

// Verdict is the answer of a comparison for one scenario, on the headline
// outcome (the first of Outcomes) and the headline crossover metric (the
// first of CrossoverMetrics).
type Verdict struct {
	Scenario  string
	Outcome   OutcomeDiff
	Crossover Crossover
	// periodName names a period in words, e.g. "month".
	periodName string
	reference  string
}

// Verdicts are the comparison's verdicts, one per scenario compared with the
// reference, in order.
func (c *Comparison) Verdicts() []Verdict {
	period := c.periodName()
	out := make([]Verdict, 0, len(c.Scenarios))
	for _, s := range c.Scenarios {
		v := Verdict{Scenario: s, periodName: period, reference: c.Reference}
		for _, d := range c.Outcomes {
			if d.Scenario == s && d.Outcome == Outcomes[0].Name {
				v.Outcome = d
			}
		}
		for _, x := range c.Crossovers {
			if x.Scenario == s && x.Metric == CrossoverMetrics[0].String() {
				v.Crossover = x
			}
		}
		out = append(out, v)
	}
	return out
}

// Sentence says the verdict in one sentence, e.g. "giving is ahead of
// taking by 5.28 million in value [5.26, 5.30] (95% confidence interval),
// in 100% of replications; its cumulative discounted profit is ahead for
// good from month 2 (median)".
func (v Verdict) Sentence() string {
	d := v.Outcome.Diff
	what := words(v.Outcome.Outcome)
	var s string
	switch {
	case d.CI95.Low > 0:
		m, iv := magnitude(d.Mean, d.CI95, false)
		s = v.Scenario + " is ahead of " + v.reference + " by " + m + " in " + what + " " + iv
	case d.CI95.High < 0:
		m, iv := magnitude(-d.Mean, Interval{Low: -d.CI95.High, High: -d.CI95.Low}, false)
		s = v.Scenario + " is behind " + v.reference + " by " + m + " in " + what + " " + iv
	default:
		m, iv := magnitude(d.Mean, d.CI95, true)
		s = v.Scenario + " and " + v.reference + " cannot be told apart in " + what + ": difference " + m + " " + iv
	}
	s += " (95% confidence interval), ahead in " + percent(d.PBeats) + " of replications; "
	return s + "its " + words(v.Crossover.Metric) + " " + v.CrossoverPhrase()
}

// CrossoverPhrase says when the scenario overtakes the reference for good:
// "is ahead for good from month 2 (median)", with the share of replications
// in which it never does when there are any.
func (v Verdict) CrossoverPhrase() string {
	x := v.Crossover
	if math.IsNaN(x.Period.P50) {
		return "never overtakes for good within the horizon"
	}
	s := "is ahead for good from " + v.periodName + " " + wholePeriod(x.Period.P50) + " (median)"
	if x.Never > 0 {
		s += ", but never within the horizon in " + percent(x.Never) + " of replications"
	}
	return s
}

// magnitude writes a mean and its interval in one scale, with three
// significant digits of the mean: 5283000 and [5261000, 5304000] as
// "5.28 million" and "[5.26, 5.30]".
func magnitude(mean float64, iv Interval, signed bool) (m, interval string) {
	scale, word := 1.0, ""
	switch a := math.Abs(mean); {
	case a >= 1e9:
		scale, word = 1e9, " billion"
	case a >= 1e6:
		scale, word = 1e6, " million"
	case a >= 1000:
		dec := numfmt.CellDecimals(mean, iv.Low, iv.High)
		return numfmt.Fixed(mean, dec, signed), "[" + numfmt.Fixed(iv.Low, dec, signed) + ", " + numfmt.Fixed(iv.High, dec, signed) + "]"
	}
	dec := 2
	if a := math.Abs(mean / scale); a >= 100 {
		dec = 0
	} else if a >= 10 {
		dec = 1
	}
	f := func(x float64) string {
		s := strconv.FormatFloat(x/scale, 'f', dec, 64)
		if signed && x > 0 {
			s = "+" + s
		}
		return s
	}
	return f(mean) + word, "[" + f(iv.Low) + ", " + f(iv.High) + "]"
}

// wholePeriod writes a period as a whole number, rounded.
func wholePeriod(x float64) string { return strconv.FormatFloat(math.Round(x), 'f', 0, 64) }

// HeadlineRows is the table of the key paired numbers, one row per
// scenario, the header first: the headline outcome's mean paired difference
// with its 95% confidence interval, the share of replications in which the
// scenario beats the reference, and when it overtakes the reference for
// good.
func (c *Comparison) HeadlineRows() [][]string {
	vs := c.Verdicts()
	rows := [][]string{{"scenario", "outcome", "mean difference", "95% confidence interval", "P(beats)", "ahead for good from (median, 90% range)"}}
	for _, v := range vs {
		row := append([]string{v.Scenario, words(v.Outcome.Outcome) + " (" + v.Outcome.Unit + ")"}, diffCells(v.Outcome.Diff.Mean, v.Outcome.Diff.CI95)...)
		rows = append(rows, append(row, beats(v.Outcome.Diff), crossoverCell(v.Crossover, v.periodName)))
	}
	return rows
}

// crossoverCell writes a crossover as "month 2 (1 to 4)", with the share
// of replications that never cross; "never" when none does.
func crossoverCell(x Crossover, period string) string {
	if math.IsNaN(x.Period.P50) {
		return "never within the horizon"
	}
	s := period + " " + wholePeriod(x.Period.P50) + " (" + periodRange(x.Period) + ")"
	if x.Never > 0 {
		s += "; never in " + percent(x.Never)
	}
	return s
}

// periodRange writes the 90% range of crossover periods in whole periods,
// widened outwards: "1 to 8".
func periodRange(p sim.Stat) string {
	return strconv.FormatFloat(math.Floor(p.P05), 'f', 0, 64) + " to " + strconv.FormatFloat(math.Ceil(p.P95), 'f', 0, 64)
}

package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/retsim/retsim/compare"
	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// Result is a run's answer: a verdict and the charts' series, each indexed
// by period (0 to Periods-1).
type Result struct {
	Reference    string `json:"reference"`
	Scenario     string `json:"scenario"`
	Replications int    `json:"replications"`
	Periods      int    `json:"periods"`
	// PeriodName names one period in words ("month" with 12 a year), as
	// the report's time axes do.
	PeriodName string `json:"period_name"`
	Verdict    string `json:"verdict"`
	// Outcome and Crossover are the verdict's numbers, as comparison.json
	// of `retsim compare` holds them: the paired difference in cumulative
	// discounted profit at the horizon, and its crossover.
	Outcome   compare.OutcomeDiff `json:"outcome"`
	Crossover compare.Crossover   `json:"crossover"`
	Charts    []Chart             `json:"charts"`
}

// Chart is one chart's lines; Band names what every line's shaded band is.
type Chart struct {
	Title string `json:"title"`
	Unit  string `json:"unit"`
	Band  string `json:"band"`
	Lines []Line `json:"lines"`
}

// Line is one series: its mean and its band, Low to High, by period.
type Line struct {
	Name string   `json:"name"`
	Mean []Number `json:"mean"`
	Low  []Number `json:"low"`
	High []Number `json:"high"`
}

// Number is a float64 written as null in JSON when it is not finite (an
// NPS with no customers, say).
type Number float64

// MarshalJSON writes n, or null when it is NaN or infinite.
func (n Number) MarshalJSON() ([]byte, error) {
	x := float64(n)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(x)
}

// Names of the bands.
const (
	bandReplications = "5-95% of replications"
)

// runStudy compares alt with ref on common random numbers, keeping
// aggregates only, as `retsim compare` does (compare.RunStudy).
func runStudy(ctx context.Context, ref, alt *scenarios.Scenario, opt sim.Options) (*compare.Study, error) {
	target, err := compare.OutcomeByName("cumulative_discounted_profit")
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	scs := []compare.Scenario{{Name: ref.Name, Config: ref.Config}, {Name: alt.Name, Config: alt.Config}}
	st, err := compare.RunStudy(ctx, scs, target, opt)
	if err != nil {
		return nil, fmt.Errorf("serve: %s against %s: %w", alt.Name, ref.Name, err)
	}
	return st, nil
}

// explore charts a study of alt against ref: active customers, NPS and
// cumulative discounted profit of both and their paired difference.
func explore(st *compare.Study, ref, alt *scenarios.Scenario) *Result {
	cmp := st.Comparison
	o, x := verdictNumbers(cmp)
	res := &Result{Reference: ref.Name, Scenario: alt.Name, Replications: cmp.Replications, Periods: cmp.Periods,
		PeriodName: ref.Config.Horizon.PeriodName(),
		Verdict:    verdict(cmp.Reference, o, x, ref.Config.Horizon.PeriodName()), Outcome: o, Crossover: x}
	for _, c := range []struct {
		title, unit string
		m           sim.Metric
	}{
		{"Active customers", "customers", sim.Active},
		{"NPS", "points", sim.NPS},
		{"Cumulative discounted profit", "currency", sim.CumulativeDiscountedProfit},
	} {
		ch := Chart{Title: c.title, Unit: c.unit, Band: bandReplications}
		for _, s := range st.Summaries {
			ch.Lines = append(ch.Lines, statLine(s.Scenario, s.Series(c.m)))
		}
		res.Charts = append(res.Charts, ch)
	}
	for _, s := range cmp.Series {
		if s.Metric != sim.CumulativeDiscountedProfit.String() {
			continue
		}
		stats := make([]sim.Stat, len(s.Periods))
		for t, p := range s.Periods {
			stats[t] = p.Diff
		}
		res.Charts = append(res.Charts, Chart{Title: "Paired difference in cumulative discounted profit", Unit: "currency",
			Band: bandReplications, Lines: []Line{statLine(alt.Name+" - "+ref.Name, stats)}})
	}
	return res
}

// statLine is the mean of stats with the band P05 to P95.
func statLine(name string, stats []sim.Stat) Line {
	l := Line{Name: name, Mean: make([]Number, len(stats)), Low: make([]Number, len(stats)), High: make([]Number, len(stats))}
	for t, s := range stats {
		l.Mean[t], l.Low[t], l.High[t] = Number(s.Mean), Number(s.P05), Number(s.P95)
	}
	return l
}

// verdict says in one sentence whether the scenario is ahead of the
// reference in cumulative discounted profit at the horizon, by how much
// with its 95% interval, from which period, named in words, (median
// crossover) and in what
// share of replications.
func verdict(reference string, o compare.OutcomeDiff, x compare.Crossover, period string) string {
	alt, d := o.Scenario, o.Diff
	if d.N == 0 {
		return fmt.Sprintf("%s and %s cannot be compared: no replication gave both a discounted profit", alt, reference)
	}
	if d.Mean == 0 && !(d.SD > 0) { // SD is NaN with one replication
		return fmt.Sprintf("%s and %s earn the same discounted profit at the horizon in each of %d replications.", alt, reference, d.N)
	}
	word := "ahead of"
	if d.Mean < 0 {
		word = "behind"
	}
	div, unit := scale(math.Abs(d.Mean))
	s := fmt.Sprintf("%s is %s %s by %s in discounted profit at the horizon", alt, word, reference, amount(math.Abs(d.Mean), div, unit))
	if !math.IsNaN(d.CI95.Low) {
		s += fmt.Sprintf(" (95%% CI of the difference [%s, %s]%s)", figure(d.CI95.Low/div), figure(d.CI95.High/div), unit)
	}
	if x.N > 0 && x.Never < 1 && d.Mean > 0 {
		if x.Period.P50 == 0 {
			s += ", ahead from the first " + period
		} else {
			s += fmt.Sprintf(", ahead for good from %s %s (median)", period, strconv.FormatFloat(x.Period.P50, 'f', -1, 64))
		}
	}
	return s + fmt.Sprintf(", and ahead in %s of %d replications.", strconv.FormatFloat(math.Round(100*d.PBeats), 'f', 0, 64)+"%", d.N)
}

// verdictNumbers are the scenario's paired difference in cumulative
// discounted profit at the horizon and its crossover, as cmp holds them.
func verdictNumbers(cmp *compare.Comparison) (o compare.OutcomeDiff, x compare.Crossover) {
	alt := cmp.Scenarios[0]
	for _, d := range cmp.Outcomes {
		if d.Scenario == alt && d.Outcome == "cumulative_discounted_profit" {
			o = d
		}
	}
	for _, c := range cmp.Crossovers {
		if c.Scenario == alt && c.Metric == sim.CumulativeDiscountedProfit.String() {
			x = c
		}
	}
	o.Scenario = alt
	return o, x
}

// scale is the divisor and word for amounts the size of x: million for x
// from 1e6, and so on.
func scale(x float64) (div float64, unit string) {
	switch {
	case x >= 1e9:
		return 1e9, " billion"
	case x >= 1e6:
		return 1e6, " million"
	case x >= 1e3:
		return 1e3, " thousand"
	}
	return 1, ""
}

// amount writes x in units of div named unit, to three significant digits.
func amount(x, div float64, unit string) string { return figure(x/div) + unit }

// figure writes x to three significant digits.
func figure(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }

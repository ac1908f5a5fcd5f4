package compare

import (
	"math"

	"github.com/retsim/retsim/sim"
)

// CrossoverMetrics are the metrics whose crossover Compare reports, the
// first the headline.
var CrossoverMetrics = []sim.Metric{sim.CumulativeDiscountedProfit, sim.CumulativeProfit}

// CrossoverPeriod is the first period t from which alt is strictly above ref
// in every period from t to the last: the period in which alt overtakes ref
// for good. It is 0 when alt is ahead throughout; ok is false when alt is not
// ahead in the last period (it never overtakes for good within the horizon).
// Equal values, and NaN, do not count as ahead. ref and alt are one
// replication's series of the same length, indexed by period.
func CrossoverPeriod(ref, alt []float64) (period int, ok bool) {
	if len(ref) != len(alt) {
		panic("compare.CrossoverPeriod: ref and alt differ in length")
	}
	t := len(alt)
	for t > 0 && alt[t-1] > ref[t-1] {
		t--
	}
	return t, t < len(alt)
}

// Crossover summarises CrossoverPeriod of one metric over the replications
// of a scenario paired with the reference's.
type Crossover struct {
	Scenario string `json:"scenario"`
	Metric   string `json:"metric"`
	N        int    `json:"n"` // replications
	// Never is the share of replications in which the scenario does not
	// overtake the reference for good within the horizon.
	Never float64 `json:"never_share"`
	// Period is the crossover period over the replications in which it
	// happens: P50 is the median, P05 to P95 the 90% range, quantiles as in
	// sim.StatOf (gonum's LinInterp). All NaN when it never happens.
	Period sim.Stat `json:"period"`
}

// crossoverTally accumulates one metric's CrossoverPeriod over the
// replications of a scenario paired with the reference's.
type crossoverTally struct {
	periods  sim.Accumulator
	n, never int
}

func (c *crossoverTally) add(ref, alt []float64) {
	c.n++
	t, ok := CrossoverPeriod(ref, alt)
	if !ok {
		c.never++
		return
	}
	c.periods.Add(float64(t))
}

func (c *crossoverTally) crossover(scenario string, m sim.Metric) Crossover {
	x := Crossover{Scenario: scenario, Metric: m.String(), N: c.n, Never: math.NaN(), Period: c.periods.Stat()}
	if c.n > 0 {
		x.Never = float64(c.never) / float64(c.n)
	}
	return x
}

// PeriodDiff is the paired difference alt - ref of a metric in one period
// across replications.
type PeriodDiff struct {
	Diff sim.Stat `json:"diff"` // mean, sd and 5/50/95% quantiles of the differences
	CI95 Interval `json:"ci95"` // 95% t interval of the mean difference
}

// DiffSeries is the per-period paired difference of one metric between a
// scenario and the reference, for a chart.
type DiffSeries struct {
	Scenario string       `json:"scenario"`
	Metric   string       `json:"metric"`
	Periods  []PeriodDiff `json:"periods"` // indexed by period
}

// diffTally accumulates the paired difference alt - ref of one metric in
// every period.
type diffTally []sim.Accumulator // by period

func (d diffTally) add(ref, alt []float64) {
	for t := range d {
		d[t].Add(alt[t] - ref[t])
	}
}

func (d diffTally) series(scenario string, m sim.Metric) DiffSeries {
	s := DiffSeries{Scenario: scenario, Metric: m.String(), Periods: make([]PeriodDiff, len(d))}
	for t := range d {
		s.Periods[t] = PeriodDiff{Diff: d[t].Stat(), CI95: momentsInterval(&d[t].Moments, 0.95)}
	}
	return s
}

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

// series is metric m in every period of replication i.
func series(r *sim.Result, i int, m sim.Metric) []float64 {
	s := r.Reps[i].Series
	xs := make([]float64, len(s))
	for t := range s {
		xs[t] = s[t][m]
	}
	return xs
}

// Crossovers finds, in each replication, the period in which alt's metric m
// overtakes ref's for good, and summarises it. ref and alt have the same
// replications and horizon.
func Crossovers(ref, alt *sim.Result, m sim.Metric) Crossover {
	periods := make([]float64, len(ref.Reps))
	never := 0
	for i := range ref.Reps {
		t, ok := CrossoverPeriod(series(ref, i, m), series(alt, i, m))
		if !ok {
			never++
			periods[i] = math.NaN()
			continue
		}
		periods[i] = float64(t)
	}
	c := Crossover{Scenario: alt.Scenario, Metric: m.String(), N: len(periods), Never: math.NaN(), Period: sim.StatOf(periods)}
	if c.N > 0 {
		c.Never = float64(never) / float64(c.N)
	}
	return c
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

// SeriesDiff is the paired difference alt - ref of metric m in every period.
// ref and alt have the same replications and horizon.
func SeriesDiff(ref, alt *sim.Result, m sim.Metric) DiffSeries {
	s := DiffSeries{Scenario: alt.Scenario, Metric: m.String()}
	if len(ref.Reps) == 0 {
		return s
	}
	s.Periods = make([]PeriodDiff, len(ref.Reps[0].Series))
	for t := range s.Periods {
		d := ref.Value(m, t)
		for i, x := range alt.Value(m, t) {
			d[i] = x - d[i]
		}
		s.Periods[t] = PeriodDiff{Diff: sim.StatOf(d), CI95: MeanInterval(d, 0.95)}
	}
	return s
}
